"""Transformations: each changes how a truth is printed, and the truth only where it says so.

``TRANSFORMS`` holds them all by name (see ``registry``); ``layout_transforms`` and
``value_transforms`` define them.
"""

from tests.metamorphic import layout_transforms, value_transforms  # noqa: F401 - they register
from tests.metamorphic.registry import EXCLUSIVE, TRANSFORMS, Transform

__all__ = ["EXCLUSIVE", "TRANSFORMS", "Transform"]
