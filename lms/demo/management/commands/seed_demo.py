from django.core.management.base import BaseCommand

from lms.demo.services import demo_accounts_table, seed_demo


class Command(BaseCommand):
    help = "데모 계정과 기본 데이터를 만듭니다 (여러 번 실행해도 한 번만 만듭니다)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet-table", action="store_true", help="계정 표를 출력하지 않습니다."
        )

    def handle(self, *args, **options):
        result = seed_demo()
        self.stdout.write(
            f"데모 데이터: 새 계정 {len(result.created)}개, 기존 계정 {len(result.existing)}개"
        )
        if not options["quiet_table"]:
            self.stdout.write("데모 계정 (로컬 전용):\n" + demo_accounts_table())
