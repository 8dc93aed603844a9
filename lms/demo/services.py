"""Demo data for local use: the accounts of the README and a little content. Idempotent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from wagtail.models import Task, Workflow

from cms.courses import CoursePage
from cms.models import ContentPage, HomePage, NoticeIndexPage, NoticePage
from lms.accounts.demo_guard import DEMO_PASSWORD
from lms.accounts.models import Organization, Role, User
from lms.accounts.services import user_create
from lms.centers.models import Center, District
from lms.learning.demo import seed_learning_demo
from lms.organizations.demo import seed_organization_demo
from lms.outreach.demo import seed_outreach_demo
from lms.reports.demo import seed_reports_demo


@dataclass(frozen=True)
class DemoAccount:
    username: str
    name: str
    role: str
    description: str


DEMO_ACCOUNTS = (
    DemoAccount("admin", "관리자", "superuser", "최고 관리자 (superuser)"),
    DemoAccount("staff", "김센터", Role.STAFF, "센터 담당자 · 서울노동권익센터(광역)"),
    DemoAccount(
        "staff-dongbuk", "이동북", Role.STAFF, "센터 담당자 · 동북권 노동자종합지원센터"
    ),
    DemoAccount(
        "trainer",
        "박노무",
        Role.TRAINER,
        "강사 · 공인노무사 (노동법, 직장 내 괴롭힘, 동북권)",
    ),
    DemoAccount("org", "최담당", Role.ORG_CONTACT, "기관 담당자 · 성북구 사업장"),
    DemoAccount("learner", "정시민", Role.LEARNER, "학습자 (시민)"),
)
DEMO_ORGANIZATION = "성북 마을협동조합"


@dataclass
class SeedResult:
    created: list[str]
    existing: list[str]


def _demo_organization() -> Organization:
    organization, _ = Organization.objects.get_or_create(
        name=DEMO_ORGANIZATION,
        defaults={
            "kind": Organization.Kind.WORKPLACE,
            "district": District.objects.get(name="성북구"),
            "address": "서울특별시 성북구",
        },
    )
    return organization


def _scope_for(account: DemoAccount) -> dict:
    if account.username == "staff":
        return {"center": Center.objects.get(kind=Center.Kind.METROPOLITAN)}
    if account.username == "staff-dongbuk":
        return {
            "center": Center.objects.get(
                kind=Center.Kind.REGIONAL, region__name="동북권"
            )
        }
    if account.role == Role.ORG_CONTACT:
        return {"organization": _demo_organization()}
    return {}


def _seed_about_page() -> None:
    home = HomePage.objects.first()
    if home is None or ContentPage.objects.filter(slug="about").exists():
        return
    about = ContentPage(
        title="아카데미 소개",
        slug="about",
        show_in_menus=True,
        body=[
            ("heading", "서울노동아카데미는"),
            (
                "paragraph",
                "<p>노동법과 노동인권을 시민 누구나 배울 수 있도록 온라인 강의와 찾아가는 "
                "노동교육을 운영합니다. 10명 이상 모인 단체나 사업장은 원하는 때와 장소로 "
                "공인노무사와 전문 강사를 초청할 수 있습니다.</p>",
            ),
        ],
    )
    home.add_child(instance=about)
    about.save_revision().publish()


DEMO_NOTICES = (
    (
        "{next_year}년 찾아가는 노동교육 신청을 받습니다",
        "10명 이상 모인 단체라면 누구나 신청할 수 있습니다.",
        "<p>사업장, 학교, 복지관, 주민 모임 등 10명 이상이 모이는 곳이면 원하는 날짜와 "
        "장소로 강사가 찾아갑니다. 교육비는 무료이며, 신청은 홈페이지의 "
        "「찾아가는 노동교육 신청하기」에서 할 수 있습니다.</p>",
        40,
    ),
    (
        "온라인 강의 수료증 진위 확인 안내",
        "수료증 번호만으로 누구나 진위를 확인할 수 있습니다.",
        "<p>채용 담당자나 기관은 수료증에 적힌 번호를 「수료증 확인」에 입력하면 "
        "발급 여부와 수료 과정을 바로 확인할 수 있습니다.</p>",
        10,
    ),
)


def _seed_home_demo() -> None:
    """The home page as an editor would shape it: featured courses and a few notices."""
    home = HomePage.objects.first()
    if home is None or NoticeIndexPage.objects.exists():
        return
    courses = CoursePage.objects.live().order_by("path")[:3]
    home.featured_courses = [("course", course) for course in courses]
    home.save_revision().publish()
    index = NoticeIndexPage(title="공지사항", slug="notices", show_in_menus=True)
    home.add_child(instance=index)
    index.save_revision().publish()
    today = timezone.localdate()
    for title, summary, body, days_ago in DEMO_NOTICES:
        notice = NoticePage(
            title=title.format(next_year=today.year + 1),
            summary=summary,
            body=body,
            date=today - dt.timedelta(days=days_ago),
        )
        index.add_child(instance=notice)
        notice.save_revision().publish()


# Wagtail's first migration names its moderation workflow and task in English; the
# admin then says "Moderators approval에 제출". The demo site gives them Korean names.
DEFAULT_WORKFLOW_NAMES = {"Moderators approval": "편집자 검토 승인"}


def _korean_workflow_names() -> None:
    for english, korean in DEFAULT_WORKFLOW_NAMES.items():
        Workflow.objects.filter(name=english).update(name=korean)
        Task.objects.filter(name=english).update(name=korean)


@transaction.atomic
def seed_demo_accounts() -> SeedResult:
    """The accounts of the demo table alone, without courses, requests or reports."""
    result = SeedResult(created=[], existing=[])
    for account in DEMO_ACCOUNTS:
        if User.objects.filter(username=account.username).exists():
            result.existing.append(account.username)
            continue
        superuser = account.role == "superuser"
        user_create(
            username=account.username,
            email=f"{account.username}@demo.slacademy.kr",
            password=DEMO_PASSWORD,
            name=account.name,
            role=Role.LEARNER if superuser else account.role,
            is_superuser=superuser,
            **_scope_for(account),
        )
        result.created.append(account.username)
    return result


@transaction.atomic
def seed_demo() -> SeedResult:
    result = seed_demo_accounts()
    _seed_about_page()
    _korean_workflow_names()

    seed_learning_demo()
    seed_outreach_demo()

    seed_organization_demo()

    seed_reports_demo()
    _seed_home_demo()
    return result


def demo_accounts_table() -> str:
    width = max(len(a.username) for a in DEMO_ACCOUNTS)
    lines = [f"  {'username'.ljust(width)}  역할", f"  {'-' * width}  {'-' * 30}"]
    lines += [f"  {a.username.ljust(width)}  {a.description}" for a in DEMO_ACCOUNTS]
    lines.append(f"  비밀번호(모두): {DEMO_PASSWORD}")
    return "\n".join(lines)
