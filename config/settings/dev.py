"""Local development and `make run`: the embedded default, debug off unless DEBUG=1.

With DEBUG off, `make run` shows no debug pages (tracebacks, settings, URL lists) and
serves no media folder: only the HLS outputs (media_pipeline) and the static files
(`runserver --insecure`, see scripts/run.sh). `DEBUG=1 make run` for debugging.
"""

from config.settings.base import *  # noqa: F403
from config.settings.base import env_bool

DEBUG = env_bool("DEBUG", False)
INTERNAL_IPS = ["127.0.0.1"]
# `PORT=8010 make run`: links follow the port the page was served on; links sent by the
# worker use PUBLIC_URL, which base derives from the same PORT.
PUBLIC_URL_FROM_REQUEST = True
