from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


@checks.register()
def periodic_jobs_check(app_configs, **kwargs):
    """A misspelt job would otherwise fail quietly in the workers, once a period."""
    from background.scheduler import jobs

    try:
        configured = jobs()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="background.E001")]
    errors = []
    for job in configured.values():
        try:
            call = import_string(job.call)
        except ImportError:
            call = None
        if not callable(call):
            errors.append(
                checks.Error(
                    f"PERIODIC_JOBS[{job.name!r}] calls {job.call!r}, which cannot be imported.",
                    id="background.E002",
                )
            )
    return errors
