from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

# Educators write prose, never markup (IO-02).
BODY_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link"]


class HomePage(Page):
    """The front door: what Knowhow is and who it is for."""

    lead = models.TextField(
        help_text="One or two sentences under the page title, in plain English.",
    )
    body = RichTextField(features=BODY_FEATURES, blank=True)

    content_panels = Page.content_panels + [FieldPanel("lead"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("lead"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    # Signed in or in these groups, never a shared password (docs/decisions.md).
    private_page_options = ["login", "groups"]

    template = "core/home_page.html"
