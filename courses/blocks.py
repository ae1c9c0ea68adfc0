"""The blocks a lesson body is made of.

Each block says what it is for (description), how it looks in the admin
(icon, preview) and how it renders (template). There is no raw-HTML block and
rich text is limited to a few Draftail features (IO-02). Videos are files on
our own host, never third-party embeds, and always come with a transcript.
"""

from django.forms.utils import ErrorList
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

LESSON_RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link"]
VIDEO_EXTENSIONS = (".mp4", ".webm")
CAPTION_EXTENSIONS = (".vtt",)


def _rich(**kwargs):
    return blocks.RichTextBlock(features=LESSON_RICH_TEXT_FEATURES, **kwargs)


class RichTextSectionBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(features=LESSON_RICH_TEXT_FEATURES, **kwargs)

    class Meta:
        icon = "pilcrow"
        template = "courses/blocks/rich_text.html"
        description = "Paragraphs, headings, lists and links."
        preview_value = (
            "<p>An <b>algorithm</b> is a set of steps a computer follows to reach a "
            "decision, such as which shifts you are offered.</p>"
        )


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250,
        help_text="Describe what the image shows for someone who cannot see it.",
    )
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "courses/blocks/figure.html"
        description = "An image with alt text and an optional caption."


class VideoBlock(blocks.StructBlock):
    video = DocumentChooserBlock(help_text="An MP4 or WebM file uploaded to Documents.")
    title = blocks.CharBlock(max_length=200)
    captions = DocumentChooserBlock(
        required=False, help_text="Optional WebVTT (.vtt) captions file from Documents."
    )
    transcript = _rich(help_text="The full transcript. Required: not everyone can watch.")

    class Meta:
        icon = "media"
        template = "courses/blocks/video.html"
        description = "A video served from this site, with a transcript."

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        video = value.get("video")
        if video and not video.file.name.lower().endswith(VIDEO_EXTENSIONS):
            errors["video"] = ErrorList(["Choose an MP4 or WebM file."])
        captions = value.get("captions")
        if captions and not captions.file.name.lower().endswith(CAPTION_EXTENSIONS):
            errors["captions"] = ErrorList(["Captions must be a WebVTT (.vtt) file."])
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        return value


class KeyPointBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120, default="Key point")
    text = _rich()

    class Meta:
        icon = "pick"
        template = "courses/blocks/key_point.html"
        description = "The one thing to remember from this part of the lesson."
        preview_value = {
            "title": "Key point",
            "text": "<p>You can see the personal data your employer holds on you.</p>",
        }


class CaseStudyBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200)
    text = _rich()
    source = blocks.CharBlock(
        max_length=300, help_text="Where the case is documented (report, judgment, regulator)."
    )

    class Meta:
        icon = "doc-full"
        template = "courses/blocks/case_study.html"
        description = "A real, documented case and what reps can learn from it."
        preview_value = {
            "title": "The 2020 exam-grading algorithm",
            "text": "<p>When exams were cancelled, an algorithm moderated teachers' grades.</p>",
            "source": "Ofqual, 2020",
        }


class QuestionsForManagementBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200, default="Questions to ask management")
    intro = blocks.TextBlock(required=False)
    items = blocks.ListBlock(blocks.CharBlock(max_length=500), min_num=1)

    class Meta:
        icon = "help"
        template = "courses/blocks/questions.html"
        description = "Questions a rep can put to management, as a checklist."
        preview_value = {
            "title": "Questions to ask management",
            "items": ["What data does the system collect about us?", "Who can see it?"],
        }


class ChecklistBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200)
    items = blocks.ListBlock(blocks.CharBlock(max_length=500), min_num=1)

    class Meta:
        icon = "tasks"
        template = "courses/blocks/checklist.html"
        description = "Things to do or check."
        preview_value = {"title": "Before the meeting", "items": ["Read the privacy notice"]}


class DownloadableTemplateBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200)
    description = blocks.TextBlock()
    document = DocumentChooserBlock()

    class Meta:
        icon = "download"
        template = "courses/blocks/template_download.html"
        description = "A document the rep can download and adapt, e.g. a letter template."


class DefinitionBlock(blocks.StructBlock):
    term = blocks.CharBlock(max_length=120)
    definition = blocks.TextBlock()

    class Meta:
        icon = "openquote"
        template = "courses/blocks/definition.html"
        description = "A glossary term and its meaning in plain English."
        preview_value = {
            "term": "Data controller",
            "definition": "The organisation that decides why and how personal data is used.",
        }


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    attribution = blocks.CharBlock(max_length=200)
    source = blocks.CharBlock(max_length=300, required=False)

    class Meta:
        icon = "openquote"
        template = "courses/blocks/quote.html"
        description = "A short quote with who said it and where."


class TableBlock(blocks.StructBlock):
    caption = blocks.CharBlock(max_length=200)
    headers = blocks.ListBlock(blocks.CharBlock(max_length=120), min_num=1, max_num=6)
    rows = blocks.ListBlock(
        blocks.ListBlock(blocks.CharBlock(max_length=500, required=False)), min_num=1
    )

    class Meta:
        icon = "table"
        template = "courses/blocks/table.html"
        description = "A small table with a caption and column headings."
        preview_value = {
            "caption": "Who decides",
            "headers": ["Decision", "Made by"],
            "rows": [["Shift allocation", "Scheduling software"]],
        }

    def clean(self, value):
        value = super().clean(value)
        width = len(value["headers"])
        bad = [n for n, row in enumerate(value["rows"], start=1) if len(row) != width]
        if bad:
            raise blocks.StructBlockValidationError(
                block_errors={
                    "rows": ErrorList(
                        [f"Every row needs {width} cells, one per heading (check rows {bad})."]
                    )
                }
            )
        return value


class SourceBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=300)
    url = blocks.URLBlock(required=False)


class SourcesBlock(blocks.StructBlock):
    items = blocks.ListBlock(SourceBlock(), min_num=1)

    class Meta:
        icon = "link"
        template = "courses/blocks/sources.html"
        description = "The laws, guidance and reports this lesson relies on."
        preview_value = {"items": [{"label": "UK GDPR, Article 15 (right of access)", "url": ""}]}


class LessonStreamBlock(blocks.StreamBlock):
    rich_text = RichTextSectionBlock()
    figure = FigureBlock()
    video = VideoBlock()
    key_point = KeyPointBlock()
    case_study = CaseStudyBlock()
    questions = QuestionsForManagementBlock()
    checklist = ChecklistBlock()
    template = DownloadableTemplateBlock()
    definition = DefinitionBlock()
    quote = QuoteBlock()
    table = TableBlock()
    sources = SourcesBlock()
