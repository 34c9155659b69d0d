"""Every operation has a stable, unique operationId, tags and a one-line summary.

Generated clients name their functions and modules after these, so a change here
breaks every consumer's code: the list below is pinned on purpose. Renaming one is a
deliberate edit of this file (and a note in the changelog), never a side effect of
renaming a Python handler.
"""

from __future__ import annotations

import re

from tests.docs.conftest import operations

PINNED = {
    ("post", "/api/v1/auth/register"): "register",
    ("post", "/api/v1/auth/login"): "login",
    ("post", "/api/v1/auth/refresh"): "refresh",
    ("post", "/api/v1/auth/logout"): "logout",
    ("get", "/api/v1/me"): "getProfile",
    ("patch", "/api/v1/me"): "updateProfile",
    ("delete", "/api/v1/me"): "deleteAccount",
    ("post", "/api/v1/me/password"): "changePassword",
    ("post", "/api/v1/me/logout-all"): "logoutAll",
    ("get", "/api/v1/ping"): "ping",
    ("get", "/api/v1/version"): "getVersion",
    ("get", "/api/v1/categories"): "listCategories",
    ("post", "/api/v1/categories"): "createCategory",
    ("patch", "/api/v1/categories/{category_id}"): "updateCategory",
    ("delete", "/api/v1/categories/{category_id}"): "deleteCategory",
    ("get", "/api/v1/expenses"): "listExpenses",
    ("post", "/api/v1/expenses"): "createExpense",
    ("get", "/api/v1/expenses/{expense_id}"): "getExpense",
    ("patch", "/api/v1/expenses/{expense_id}"): "updateExpense",
    ("delete", "/api/v1/expenses/{expense_id}"): "deleteExpense",
    ("get", "/api/v1/expenses/trash"): "listTrash",
    ("post", "/api/v1/expenses/{expense_id}/restore"): "restoreExpense",
    ("get", "/api/v1/expenses/summary"): "getSummary",
    ("get", "/api/v1/expenses/export.csv"): "exportExpenses",
    ("post", "/api/v1/expenses/import"): "importExpenses",
    ("get", "/api/v1/analytics/monthly"): "getMonthlyTotals",
    ("get", "/api/v1/analytics/categories"): "getCategoryTotals",
    ("get", "/api/v1/analytics/tags"): "getTagTotals",
    ("get", "/api/v1/tags"): "listTags",
    ("patch", "/api/v1/tags/{name}"): "renameTag",
    ("delete", "/api/v1/tags/{name}"): "deleteTag",
    ("get", "/api/v1/rates"): "getRate",
    ("post", "/api/v1/imports/preview"): "previewImport",
    ("post", "/api/v1/imports"): "createImport",
    ("get", "/api/v1/imports"): "listImports",
    ("get", "/api/v1/imports/{import_id}"): "getImport",
    ("delete", "/api/v1/imports/{import_id}"): "undoImport",
    ("get", "/api/v1/import-profiles"): "listImportProfiles",
    ("post", "/api/v1/import-profiles"): "createImportProfile",
    ("get", "/api/v1/import-profiles/{profile_id}"): "getImportProfile",
    ("patch", "/api/v1/import-profiles/{profile_id}"): "updateImportProfile",
    ("delete", "/api/v1/import-profiles/{profile_id}"): "deleteImportProfile",
    ("get", "/api/v1/rules"): "listRules",
    ("post", "/api/v1/rules"): "createRule",
    ("get", "/api/v1/rules/{rule_id}"): "getRule",
    ("patch", "/api/v1/rules/{rule_id}"): "updateRule",
    ("delete", "/api/v1/rules/{rule_id}"): "deleteRule",
    ("post", "/api/v1/rules/{rule_id}/apply"): "applyRule",
    ("get", "/metrics"): "getMetrics",
    ("get", "/api/v1/budgets"): "listBudgets",
    ("post", "/api/v1/budgets"): "createBudget",
    ("get", "/api/v1/budgets/status"): "getBudgetStatus",
    ("get", "/api/v1/budgets/{budget_id}"): "getBudget",
    ("patch", "/api/v1/budgets/{budget_id}"): "updateBudget",
    ("delete", "/api/v1/budgets/{budget_id}"): "deleteBudget",
    ("get", "/api/v1/recurring"): "listRecurring",
    ("post", "/api/v1/recurring"): "createRecurring",
    ("get", "/api/v1/recurring/upcoming"): "listUpcoming",
    ("get", "/api/v1/recurring/suggestions"): "listRecurringSuggestions",
    ("get", "/api/v1/recurring/{recurring_id}"): "getRecurring",
    ("patch", "/api/v1/recurring/{recurring_id}"): "updateRecurring",
    ("delete", "/api/v1/recurring/{recurring_id}"): "deleteRecurring",
    ("post", "/api/v1/recurring/{recurring_id}/post"): "postOccurrence",
    ("get", "/api/v1/recurring/calendar.ics"): "getCalendarFeed",
    ("post", "/api/v1/me/calendar-token"): "createCalendarToken",
    ("delete", "/api/v1/me/calendar-token"): "revokeCalendarToken",
}
TAGS = {
    "auth",
    "categories",
    "expenses",
    "tags",
    "analytics",
    "rates",
    "service",
    "imports",
    "rules",
    "budgets",
    "recurring",
}
CAMEL_CASE = re.compile(r"[a-z]+(?:[A-Z][a-z0-9]*)*")


def test_the_first_release_operation_ids_are_pinned(served_openapi):
    served = {
        (method, path): op.get("operationId") for path, method, op in operations(served_openapi)
    }
    first_release = {key: served.get(key) for key in PINNED}
    assert first_release == PINNED


def test_every_operation_id_is_unique_camel_case(served_openapi):
    ids = [op.get("operationId") for _, _, op in operations(served_openapi)]
    assert all(isinstance(i, str) and CAMEL_CASE.fullmatch(i) for i in ids), ids
    assert len(ids) == len(set(ids)), sorted(ids)


def test_every_operation_has_one_domain_tag_and_a_one_line_summary(served_openapi):
    for path, method, operation in operations(served_openapi):
        tags = operation.get("tags", [])
        assert len(tags) == 1, (method, path, tags)
        summary = operation.get("summary", "")
        assert summary.strip(), (method, path)
        assert "\n" not in summary, (method, path)
        # Litestar's fallback summary is the handler's name ("Get", "Monthly").
        assert " " in summary, (method, path, summary)
        if (method, path) in PINNED:
            assert tags[0] in TAGS, (method, path, tags)
