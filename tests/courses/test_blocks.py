"""Lesson blocks render without a database and describe themselves."""

import pytest
from pytest_django.asserts import assertInHTML
from wagtail import blocks

from courses.blocks import (
    CaseStudyBlock,
    ChecklistBlock,
    DefinitionBlock,
    KeyPointBlock,
    LessonStreamBlock,
    QuestionsForManagementBlock,
    QuoteBlock,
    RichTextSectionBlock,
    SourcesBlock,
    TableBlock,
)


def render(block, raw):
    return block.render(block.to_python(raw))


def test_every_block_describes_itself():
    for name, block in LessonStreamBlock().child_blocks.items():
        assert block.meta.icon, name
        assert block.meta.template.startswith("courses/blocks/"), name
        assert block.meta.description, name


def test_there_is_no_raw_html_or_embed_block():
    kinds = {type(b) for b in LessonStreamBlock().child_blocks.values()}
    assert blocks.RawHTMLBlock not in kinds
    assert "embed" not in LessonStreamBlock().child_blocks
    assert "html" not in LessonStreamBlock().child_blocks


def test_rich_text_features_are_limited():
    block = RichTextSectionBlock()
    assert set(block.features) == {"h2", "h3", "bold", "italic", "ol", "ul", "link"}


def test_key_point_renders_title_and_text():
    html = render(KeyPointBlock(), {"title": "Remember", "text": "<p>You can ask.</p>"})
    assertInHTML(
        """<aside class="kh-key-point" aria-label="Remember">
          <h2 class="kh-key-point__title kh-heading-s">Remember</h2>
          <div class="kh-prose"><p>You can ask.</p></div>
        </aside>""",
        html,
    )


def test_case_study_names_its_source():
    html = render(
        CaseStudyBlock(),
        {
            "title": "Robodebt",
            "text": "<p>Debts raised by averaging.</p>",
            "source": "Royal Commission, 2023",
        },
    )
    assertInHTML('<p class="kh-case-study__label">Case study</p>', html)
    assertInHTML('<h2 class="kh-heading-m">Robodebt</h2>', html)
    assertInHTML('<p class="kh-case-study__source">Source: Royal Commission, 2023</p>', html)


def test_a_case_study_must_name_its_source():
    block = CaseStudyBlock()
    value = block.to_python({"title": "Robodebt", "text": "<p>Debts.</p>", "source": ""})
    with pytest.raises(blocks.StructBlockValidationError) as error:
        block.clean(value)
    assert list(error.value.block_errors) == ["source"]


def test_questions_render_as_a_numbered_list():
    html = render(
        QuestionsForManagementBlock(),
        {"title": "Ask this", "intro": "", "items": ["What data?", "Who sees it?"]},
    )
    assertInHTML(
        """<ol class="kh-list kh-list--number">
          <li>What data?</li><li>Who sees it?</li>
        </ol>""",
        html,
    )
    assertInHTML("<li>What data?</li>", html, count=1)


def test_checklist_renders_a_ticked_list():
    html = render(ChecklistBlock(), {"title": "Do", "items": ["Read the notice"]})
    assertInHTML('<h2 class="kh-heading-m">Do</h2>', html)
    assertInHTML('<ul class="kh-list kh-list--check"><li>Read the notice</li></ul>', html)


def test_definition_is_a_description_list():
    html = render(DefinitionBlock(), {"term": "Controller", "definition": "Decides."})
    assertInHTML(
        """<dl class="kh-definition">
          <dt class="kh-definition__term">Controller</dt>
          <dd class="kh-definition__text">Decides.</dd>
        </dl>""",
        html,
    )


def test_quote_cites_its_source():
    html = render(QuoteBlock(), {"text": "Words.", "attribution": "A judge", "source": "A case"})
    assertInHTML('<blockquote class="kh-quote__text"><p>Words.</p></blockquote>', html)
    assertInHTML(
        '<figcaption class="kh-quote__attribution">A judge, <cite>A case</cite></figcaption>',
        html,
    )


def test_sources_link_only_where_there_is_an_address():
    html = render(
        SourcesBlock(),
        {
            "items": [
                {"label": "UK GDPR Art 15", "url": "https://www.legislation.gov.uk/"},
                {"label": "ICO", "url": ""},
            ]
        },
    )
    assertInHTML(
        '<li><a href="https://www.legislation.gov.uk/" rel="noopener noreferrer">'
        "UK GDPR Art 15</a></li>",
        html,
    )
    assertInHTML("<li>ICO</li>", html)
    assert html.count("<a ") == 1


def test_user_text_in_blocks_is_escaped():
    html = render(DefinitionBlock(), {"term": "<script>x</script>", "definition": "<b>d</b>"})
    assertInHTML('<dt class="kh-definition__term">&lt;script&gt;x&lt;/script&gt;</dt>', html)
    assertInHTML('<dd class="kh-definition__text">&lt;b&gt;d&lt;/b&gt;</dd>', html)
    assertInHTML("<script>x</script>", html, count=0)
    assertInHTML("<b>d</b>", html, count=0)


def test_table_renders_headers_and_row_headers():
    html = render(
        TableBlock(),
        {
            "caption": "Who decides",
            "headers": ["Decision", "Made by"],
            "rows": [["Shifts", "Software"]],
        },
    )
    assertInHTML('<caption class="kh-table__caption">Who decides</caption>', html)
    assertInHTML(
        """<thead><tr>
          <th scope="col" class="kh-table__header">Decision</th>
          <th scope="col" class="kh-table__header">Made by</th>
        </tr></thead>""",
        html,
    )
    assertInHTML(
        """<tr><th scope="row" class="kh-table__header">Shifts</th>
          <td class="kh-table__cell">Software</td></tr>""",
        html,
    )


def test_table_rows_must_match_the_headings():
    block = TableBlock()
    value = block.to_python(
        {"caption": "C", "headers": ["A", "B"], "rows": [["1", "2"], ["only one"]]}
    )
    with pytest.raises(blocks.StructBlockValidationError):
        block.clean(value)


@pytest.mark.django_db
def test_video_must_be_a_video_file():
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    from courses.blocks import VideoBlock

    doc = Document.objects.create(title="Not a video", file=ContentFile(b"x", name="notes.pdf"))
    block = VideoBlock()
    value = block.to_python(
        {"video": doc.pk, "title": "Intro", "captions": None, "transcript": "<p>Hello</p>"}
    )
    with pytest.raises(blocks.StructBlockValidationError) as error:
        block.clean(value)
    assert "video" in error.value.block_errors


@pytest.mark.django_db
def test_video_requires_a_transcript():
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    from courses.blocks import VideoBlock

    doc = Document.objects.create(title="Clip", file=ContentFile(b"x", name="clip.mp4"))
    block = VideoBlock()
    value = block.to_python({"video": doc.pk, "title": "Intro", "captions": None, "transcript": ""})
    with pytest.raises(blocks.StructBlockValidationError) as error:
        block.clean(value)
    assert "transcript" in error.value.block_errors
    ok = block.to_python(
        {"video": doc.pk, "title": "Intro", "captions": None, "transcript": "<p>Hi</p>"}
    )
    html = block.render(block.clean(ok))
    assertInHTML(f'<source src="{doc.url}" type="video/mp4">', html)
    assert "Transcript" in html
