"""`python manage.py import_videos FILE... [--json]`: existing lecture videos through the
whole pipeline, synchronously (README, "Video pipeline")."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from media_pipeline.services import asset_import_file


class Command(BaseCommand):
    help = "영상 파일을 처리 과정 전체(검사, 변환, 게시)로 가져옵니다."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+")
        parser.add_argument("--json", action="store_true", help="파일마다 JSON 한 줄")

    def handle(self, *args, files, json: bool = False, **options):
        failures = 0
        for name in files:
            asset = asset_import_file(path=Path(name), title=Path(name).stem)
            line = {
                "file": name,
                "asset_id": str(asset.pk),
                "status": asset.state,
                "reason": asset.reason,
                "master_playlist": asset.master_playlist or None,
                "renditions": [
                    {"height": r["height"], "bandwidth": r["bandwidth"]}
                    for r in asset.renditions
                ]
                if asset.state == "ready"
                else [],
            }
            failures += asset.state != "ready"
            if json:
                self.stdout.write(_dumps(line))
            else:
                self.stdout.write(
                    f"{name}: {asset.get_state_display()}"
                    + (f" — {asset.reason}" if asset.reason else "")
                )
        if failures:
            self.stderr.write(f"{failures}개 파일을 가져오지 못했습니다.")


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
