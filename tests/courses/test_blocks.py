"""Lesson blocks render without a database and describe themselves."""

import pytest
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
    assert "Remember" in html
    assert "You can ask." in html
    assert "kh-key-point" in html


def test_case_study_names_its_source():
    html = render(
        CaseStudyBlock(),
        {
            "title": "Robodebt",
            "text": "<p>Debts raised by averaging.</p>",
            "source": "Royal Commission, 2023",
        },
    )
    assert "Case study" in html
    assert "Source: Royal Commission, 2023" in html


def test_questions_render_as_a_numbered_list():
    html = render(
        QuestionsForManagementBlock(),
        {"title": "Ask this", "intro": "", "items": ["What data?", "Who sees it?"]},
    )
    assert html.count("<li>") == 2
    assert "<ol" in html


def test_checklist_definition_quote_and_sources_render():
    assert "Read the notice" in render(
        ChecklistBlock(), {"title": "Do", "items": ["Read the notice"]}
    )
    assert "<dt" in render(DefinitionBlock(), {"term": "Controller", "definition": "Decides."})
    quote = render(QuoteBlock(), {"text": "Words.", "attribution": "A judge", "source": "A case"})
    assert "<blockquote" in quote and "<cite>A case</cite>" in quote
    sources = render(
        SourcesBlock(),
        {
            "items": [
                {"label": "UK GDPR Art 15", "url": "https://www.legislation.gov.uk/"},
                {"label": "ICO", "url": ""},
            ]
        },
    )
    assert 'href="https://www.legislation.gov.uk/"' in sources
    assert "<li>ICO</li>" in sources


def test_user_text_in_blocks_is_escaped():
    html = render(DefinitionBlock(), {"term": "<script>x</script>", "definition": "<b>d</b>"})
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_table_renders_headers_and_row_headers():
    html = render(
        TableBlock(),
        {
            "caption": "Who decides",
            "headers": ["Decision", "Made by"],
            "rows": [["Shifts", "Software"]],
        },
    )
    assert "<caption" in html
    assert '<th scope="col"' in html
    assert '<th scope="row" class="kh-table__header">Shifts</th>' in html


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
    assert "<video" in html and "Transcript" in html and 'type="video/mp4"' in html
