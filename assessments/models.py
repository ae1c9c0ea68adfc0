"""Question bank, quizzes and attempts.

This app knows nothing about courses. An attempt keeps a snapshot of every
question it showed (docs/question-format.md), so editing the bank never
changes what a past attempt saw or scored. Grading is pure code in
grading.py; attempts are records.
"""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from assessments.admin_forms import QuestionForm


class QuestionKind(models.TextChoices):
    SINGLE = "single", "Single choice"
    MULTIPLE = "multiple", "Multiple response"
    TRUE_FALSE = "true_false", "True or false"
    SHORT_TEXT = "short_text", "Short text answer"
    ORDERING = "ordering", "Put in order"
    MATCHING = "matching", "Matching"


class QuestionTag(TaggedItemBase):
    content_object = ParentalKey(
        "assessments.Question", on_delete=models.CASCADE, related_name="tagged_items"
    )


class Question(index.Indexed, ClusterableModel):
    """A question in the bank. What it needs depends on its kind:
    options (single, multiple), the true answer (true or false), accepted
    answers (short text), items in order (ordering) or pairs (matching)."""

    title = models.CharField(max_length=200, help_text="A name to find the question by.")
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    stem = models.TextField("question", help_text="The question as learners see it.")
    marks = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    true_is_correct = models.BooleanField(
        "the statement is true",
        null=True,
        blank=True,
        help_text="True or false questions only.",
    )
    feedback_if_true = models.TextField(
        blank=True, help_text="True or false: shown to learners who answered True."
    )
    feedback_if_false = models.TextField(
        blank=True, help_text="True or false: shown to learners who answered False."
    )
    general_feedback = models.TextField(blank=True, help_text="Shown to everyone after answering.")
    explanation = models.TextField(
        blank=True, help_text="Why the answer is right, with the source for points of law."
    )
    key = models.SlugField(
        max_length=80,
        unique=True,
        null=True,
        blank=True,
        help_text="Optional reference used by imports, e.g. dr-intro-m1-q1.",
    )
    tags = ClusterTaggableManager(through=QuestionTag, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("marks")]),
        FieldPanel("stem"),
        FieldPanel("tags"),
        InlinePanel(
            "options", heading="Options (single choice, multiple response)", label="option"
        ),
        MultiFieldPanel(
            [
                FieldPanel("true_is_correct"),
                FieldPanel("feedback_if_true"),
                FieldPanel("feedback_if_false"),
            ],
            heading="True or false",
        ),
        InlinePanel(
            "accepted_answers", heading="Accepted answers (short text)", label="accepted answer"
        ),
        InlinePanel(
            "ordering_items", heading="Items in the right order (put in order)", label="item"
        ),
        InlinePanel("pairs", heading="Pairs (matching)", label="pair"),
        FieldPanel("general_feedback"),
        FieldPanel("explanation"),
        FieldPanel("key"),
    ]
    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.SearchField("stem"),
        index.FilterField("kind"),
    ]
    base_form_class = QuestionForm

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def snapshot(self, *, marks=None) -> dict:
        """This question as it is now, in the attempt snapshot format."""
        data = {
            "kind": self.kind,
            "stem": self.stem,
            "marks": str(marks if marks is not None else self.marks),
            "general_feedback": self.general_feedback,
            "explanation": self.explanation,
            "options": [],
            "accepted": [],
            "items": [],
            "pairs": [],
        }
        if self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            data["options"] = [
                {
                    "id": f"o{option.pk}",
                    "text": option.text,
                    "correct": option.is_correct,
                    "feedback": option.feedback,
                }
                for option in self.options.all()
            ]
        elif self.kind == QuestionKind.TRUE_FALSE:
            data["options"] = [
                {
                    "id": "true",
                    "text": "True",
                    "correct": bool(self.true_is_correct),
                    "feedback": self.feedback_if_true,
                },
                {
                    "id": "false",
                    "text": "False",
                    "correct": not self.true_is_correct,
                    "feedback": self.feedback_if_false,
                },
            ]
        elif self.kind == QuestionKind.SHORT_TEXT:
            data["accepted"] = [answer.text for answer in self.accepted_answers.all()]
        elif self.kind == QuestionKind.ORDERING:
            data["items"] = [
                {"id": f"i{item.pk}", "text": item.text} for item in self.ordering_items.all()
            ]
        elif self.kind == QuestionKind.MATCHING:
            data["pairs"] = [
                {"id": f"p{pair.pk}", "left": pair.left, "right": pair.right}
                for pair in self.pairs.all()
            ]
        return data


class QuestionOption(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(max_length=500)
    is_correct = models.BooleanField("correct", default=False)
    feedback = models.TextField(blank=True, help_text="Shown to learners who chose this option.")

    panels = [FieldPanel("text"), FieldPanel("is_correct"), FieldPanel("feedback")]


class QuestionAcceptedAnswer(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="accepted_answers")
    text = models.CharField(
        max_length=200, help_text="Case, spaces and punctuation are ignored when marking."
    )

    panels = [FieldPanel("text")]


class QuestionOrderingItem(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="ordering_items")
    text = models.CharField(max_length=300)

    panels = [FieldPanel("text")]


class QuestionPair(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="pairs")
    left = models.CharField(max_length=300)
    right = models.CharField(max_length=300)

    panels = [FieldPanel("left"), FieldPanel("right")]


class GradingMethod(models.TextChoices):
    HIGHEST = "highest", "Highest attempt"
    LATEST = "latest", "Latest attempt"


class ReviewOption(models.TextChoices):
    NEVER = "never", "Never"
    AFTER_EACH = "after_each", "After each attempt"
    ONCE_PASSED = "once_passed", "Once the learner has passed"
    AFTER_LAST = "after_last", "After the last allowed attempt"


class Quiz(index.Indexed, ClusterableModel):
    title = models.CharField(max_length=200)
    instructions = models.TextField(blank=True)
    shuffle_questions = models.BooleanField(default=False)
    shuffle_options = models.BooleanField(default=True)
    pass_mark = models.DecimalField(
        "pass mark (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("70"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    max_attempts = models.PositiveIntegerField(
        null=True, blank=True, help_text="Leave blank for unlimited attempts."
    )
    minutes_between_attempts = models.PositiveIntegerField(
        default=0, validators=[MaxValueValidator(60 * 24 * 30)]
    )
    time_limit_minutes = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
        help_text="Leave blank for no time limit.",
    )
    grading_method = models.CharField(
        max_length=20, choices=GradingMethod.choices, default=GradingMethod.HIGHEST
    )
    review = models.CharField(
        "learners see correct answers and feedback",
        max_length=20,
        choices=ReviewOption.choices,
        default=ReviewOption.AFTER_EACH,
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("instructions"),
        InlinePanel("slots", heading="Fixed questions", label="fixed question"),
        InlinePanel("draws", heading="Random questions", label="random question draw"),
        MultiFieldPanel(
            [
                FieldPanel("pass_mark"),
                FieldPanel("grading_method"),
                FieldPanel("max_attempts"),
                FieldPanel("minutes_between_attempts"),
                FieldPanel("time_limit_minutes"),
            ],
            heading="Rules",
        ),
        MultiFieldPanel(
            [FieldPanel("shuffle_questions"), FieldPanel("shuffle_options"), FieldPanel("review")],
            heading="Display",
        ),
        InlinePanel("feedback_bands", heading="Overall feedback by score", label="feedback band"),
    ]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        verbose_name_plural = "quizzes"
        ordering = ["title"]

    def __str__(self):
        return self.title


class QuizSlot(Orderable):
    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="slots")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="slots")
    marks = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="Leave blank to use the question's own marks.",
    )

    panels = [FieldPanel("question"), FieldPanel("marks")]


class QuizDraw(Orderable):
    """ "N random questions tagged X", drawn afresh for each attempt."""

    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="draws")
    tag = models.CharField(max_length=100, help_text="Draw from questions with this tag.")
    count = models.PositiveIntegerField(default=1, validators=[MinValueValidator(1)])
    marks = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )

    panels = [FieldPanel("tag"), FieldPanel("count"), FieldPanel("marks")]


class QuizFeedbackBand(Orderable):
    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="feedback_bands")
    min_percent = models.DecimalField(
        "from (%)",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    text = models.TextField()

    panels = [FieldPanel("min_percent"), FieldPanel("text")]


class AttemptState(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"
    ABANDONED = "abandoned", "Time ran out"


# Answers that reach the server this long after the deadline still count:
# the page may have been submitted just as the clock ran out.
ANSWER_GRACE = timedelta(seconds=30)


class Attempt(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    # Null once the learner has erased their account: the attempt stays,
    # anonymised, so item analysis still counts it (issue #16).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="quiz_attempts",
    )
    number = models.PositiveIntegerField()
    state = models.CharField(
        max_length=20, choices=AttemptState.choices, default=AttemptState.IN_PROGRESS
    )
    started_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Bumped by every save, so a form from a stale tab can be refused (QZ-04).
    version = models.PositiveIntegerField(default=1)
    marks_available = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    marks_awarded = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    percent = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    passed = models.BooleanField(null=True)

    class Meta:
        ordering = ["quiz", "user", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "user", "number"], name="unique_attempt_number"
            ),
            models.UniqueConstraint(
                fields=["quiz", "user"],
                condition=Q(state="in_progress"),
                name="one_attempt_in_progress",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.quiz} – attempt {self.number}"

    @property
    def is_in_progress(self):
        return self.state == AttemptState.IN_PROGRESS

    def is_past_deadline(self, now) -> bool:
        """Has the time limit, and the grace after it, run out?"""
        return self.deadline is not None and now > self.deadline + ANSWER_GRACE


class AttemptQuestion(models.Model):
    """One question as an attempt showed it, with the learner's answer."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField()
    question = models.ForeignKey(
        Question, on_delete=models.SET_NULL, null=True, related_name="attempt_questions"
    )
    snapshot = models.JSONField()
    # The order options, items or right-hand answers were shown in.
    display_order = models.JSONField(default=list)
    response = models.JSONField(null=True, blank=True)
    fraction = models.DecimalField(max_digits=6, decimal_places=5, null=True)
    marks_awarded = models.DecimalField(max_digits=7, decimal_places=2, null=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "position"], name="unique_attempt_question_position"
            )
        ]

    def __str__(self):
        return f"{self.attempt} – question {self.position}"
