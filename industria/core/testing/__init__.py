"""Declarative CRUD, permission, row-scope and audit test cases (NetBox-style) for every registry model.

Declare ``model``, ``factory`` and ``form_data``/``api_data`` in a test class that inherits
``ViewCases.Standard`` or ``APICases.Standard`` and get list/detail/create/edit/delete, permission, scope
(another district's record is a 404) and change-log tests.
"""

from .api_cases import APICases
from .view_cases import ViewCases

__all__ = ["APICases", "ViewCases"]
