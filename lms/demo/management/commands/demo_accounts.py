from django.core.management.base import BaseCommand

from lms.demo.services import demo_accounts_table


class Command(BaseCommand):
    help = "데모 계정 표를 출력합니다."

    def handle(self, *args, **options):
        self.stdout.write("데모 계정 (로컬 전용):\n" + demo_accounts_table())
