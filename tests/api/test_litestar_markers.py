"""Every handler says where its parameters come from, as Litestar 3.0 requires."""

from __future__ import annotations

import warnings

from litestar.exceptions import LitestarDeprecationWarning

from api.app import create_app
from api.settings import Settings
from tests.support import TEST_JWT_SECRET


def test_the_app_builds_without_a_litestar_deprecation():
    # Litestar 3.0 drops inferred dependencies and parameters, `data` without a body
    # marker and Parameter(header=...); 2.x only warns, once, when the app is built.
    with warnings.catch_warnings():
        warnings.simplefilter("error", LitestarDeprecationWarning)
        # Parameter(header=...) warns with a plain DeprecationWarning.
        warnings.filterwarnings("error", category=DeprecationWarning, module=r"litestar\.")
        app = create_app(Settings(jwt_secret=TEST_JWT_SECRET))
        assert "/api/v1/expenses" in app.openapi_schema.paths
