"""Replace Wagtail's placeholder root page with Knowhow's home page."""

from django.db import migrations

LEAD = (
    "Knowhow gives trade-union workplace reps the know-how to deal with digital "
    "technology at work: algorithms and AI, workers' data rights, and how public "
    "bodies buy technology."
)

BODY = """
<h2>Who it is for</h2>
<p>Knowhow is for shop stewards, health and safety reps, equality reps, union learning
reps and anyone else who speaks up for colleagues when new technology arrives at work.
You do not need to be a technical expert. Courses start from the basics and build up to
what you need at the bargaining table.</p>
<h2>What you can learn</h2>
<ul>
<li><b>Algorithms and AI at work</b>: how automated decisions are made about workers, and
the questions to ask before a system goes live.</li>
<li><b>Data rights</b>: what your employer may collect, how to make a subject access
request, and how to challenge surveillance.</li>
<li><b>Procurement and contracts</b>: how public bodies buy technology, and where unions
can have a say before the contract is signed.</li>
</ul>
<h2>How it works</h2>
<p>Courses are short and work on a phone. Your progress is saved, so you can stop and
come back where you left off. Quizzes help you check what you have learned, and you get a
certificate when you finish a course.</p>
<h2>Your privacy</h2>
<p>Taking union training can show that you are a union activist, so we treat your course
history as sensitive. Knowhow loads nothing from other websites and uses no trackers. Your
branch sees your progress only if you agree, and you can change your mind at any time.</p>
"""


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    HomePage = apps.get_model("core", "HomePage")

    # Wagtail's first migration makes a "Welcome to your new Wagtail site!" page.
    Page.objects.filter(depth=2, slug="home", content_type__app_label="wagtailcore").delete()

    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="core")
    home = HomePage.objects.create(
        title="Know your rights when technology comes to work",
        draft_title="Know your rights when technology comes to work",
        slug="home",
        content_type=content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale_id=Page.objects.get(depth=1).locale_id,
        lead=LEAD,
        body=BODY.strip(),
        seo_title="Knowhow: training for union reps on technology at work",
    )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page_id": home.id, "site_name": "Knowhow"},
    )
    Page.objects.filter(depth=1).update(numchild=1)


def remove_home_page(apps, schema_editor):
    apps.get_model("core", "HomePage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_home_page, remove_home_page)]
