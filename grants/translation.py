from core.translation import register_translated

from .models import Initiative, LineOfAction

register_translated(
    Initiative,
    ("title", "coverage_label", "summary", "description", "expected_results", "cover_caption"),
)
register_translated(LineOfAction, ("title", "description"))
