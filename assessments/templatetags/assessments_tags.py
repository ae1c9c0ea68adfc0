from django import template

from assessments import presentation

register = template.Library()


@register.filter
def answer_text(question):
    """The learner's answer to a question_for_display view, in words."""
    return presentation.answer_text(question)
