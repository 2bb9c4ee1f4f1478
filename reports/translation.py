from core.translation import register_translated

from .models import PublicResult

register_translated(PublicResult, ("text", "caption"))
