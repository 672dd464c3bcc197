"""Imports every module that defines tables, so Base.metadata knows them all (Alembic, tests)."""

from bot.cases import models as case_models  # noqa: F401
from bot.knowledge import models as knowledge_models  # noqa: F401
from bot.scheduler import models as clock_models  # noqa: F401
from bot.storage import models  # noqa: F401
