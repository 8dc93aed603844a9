from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lms.organizations"
    verbose_name = _("기관 담당자 포털")

    def ready(self) -> None:
        # Late: models and the records registry need the app registry ready.
        from lms.learning import deadlines
        from lms.organizations.models import Employee, TrainingAssignment
        from lms.records.services import register_organization_resolver

        def employer_of(user) -> int | None:
            return (
                Employee.objects.filter(user_id=user.pk)
                .values_list("organization_id", flat=True)
                .first()
            )

        register_organization_resolver(employer_of)

        def assignment_deadlines(user):
            """An employee's assigned courses, each with its deadline (내 강의실)."""
            if not user.is_authenticated:
                return []
            latest = {}  # per course, the assignment of the latest year
            for row in (
                TrainingAssignment.objects.filter(
                    organization__employees__user_id=user.pk
                )
                .select_related("organization")
                .order_by("-year", "deadline")
            ):
                latest.setdefault(row.course_id, row)
            return [
                deadlines.CourseDeadline(
                    course_id=row.course_id,
                    date=row.deadline,
                    set_by=row.organization.name,
                )
                for row in latest.values()
            ]

        deadlines.register(assignment_deadlines)
