"""Launch topics, the catalogue page at /courses/, and the review workflow.

Educators can edit but not publish; a change reaches learners only when a
reviewer approves it through Wagtail's moderation workflow.
"""

from django.db import migrations

TOPICS = [
    (
        "Algorithms & AI at work",
        "algorithms-ai",
        "How automated systems manage, monitor and judge workers, and how reps can question them.",
    ),
    (
        "Data rights",
        "data-rights",
        "What employers may collect about workers, and the rights workers have over it.",
    ),
    (
        "Procurement & contracts",
        "procurement",
        "How public bodies buy technology, and where unions can have a say.",
    ),
]


def forwards(apps, schema_editor):
    Topic = apps.get_model("courses", "Topic")
    for name, slug, description in TOPICS:
        Topic.objects.get_or_create(slug=slug, defaults={"name": name, "description": description})

    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    HomePage = apps.get_model("core", "HomePage")
    CourseIndexPage = apps.get_model("courses", "CourseIndexPage")
    home = HomePage.objects.first()
    if home is not None and not CourseIndexPage.objects.exists():
        content_type, _ = ContentType.objects.get_or_create(
            app_label="courses", model="courseindexpage"
        )
        last_child = Page.objects.filter(path__startswith=home.path, depth=home.depth + 1)
        last_child = last_child.order_by("-path").first()
        next_number = int(last_child.path[-4:], 36) + 1 if last_child else 1
        suffix = _base36(next_number).rjust(4, "0")
        CourseIndexPage.objects.create(
            title="Courses",
            draft_title="Courses",
            slug="courses",
            content_type=content_type,
            path=home.path + suffix,
            depth=home.depth + 1,
            numchild=0,
            url_path=home.url_path + "courses/",
            locale_id=home.locale_id,
            introduction=(
                "Short courses for reps, from introductory to advanced. Pick a topic and a "
                "level, or search for what you need."
            ),
            seo_title="Courses for union reps",
        )
        Page.objects.filter(pk=home.pk).update(numchild=home.numchild + 1)

    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    reviewers = Group.objects.get(name="Reviewers")
    task = GroupApprovalTask.objects.filter(groups=reviewers, active=True).first()
    if task is None:
        task_type, _ = ContentType.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )
        task = GroupApprovalTask.objects.create(
            name="Reviewer approval", content_type=task_type, active=True
        )
        task.groups.set([reviewers])
    else:
        task.name = "Reviewer approval"
        task.save(update_fields=["name"])
    workflow = Workflow.objects.filter(workflow_tasks__task=task, active=True).first()
    if workflow is None:
        workflow = Workflow.objects.create(name="Reviewer approval", active=True)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    else:
        workflow.name = "Reviewer approval"
        workflow.save(update_fields=["name"])
    root = Page.objects.get(depth=1)
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})


def _base36(number):
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    while number:
        number, remainder = divmod(number, 36)
        out = digits[remainder] + out
    return out or "0"


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("core", "0002_home_page"),
        ("accounts", "0002_groups"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
