"""POST /calculate: a stateless calculation for any authenticated caller."""

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.errors import ValidationError

from api.calculation import CalculationInputError, calculate
from api.schemas import CalculateIn, CalculateOut, ErrorOut, ValidationErrorOut

router = Router(tags=["calculate"])


# 403: a session's request without its CSRF header (api/auth.py); 413: a body over DATA_UPLOAD_MAX_MEMORY_SIZE; 415: a
# body not sent as JSON (api/urls.py)
@router.post("/calculate", response={200: CalculateOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 413: ErrorOut,
                                     415: ErrorOut, 422: ValidationErrorOut},
             summary="Calculate")  # not "Calculate View", from the function's name
def calculate_view(request: HttpRequest, payload: CalculateIn) -> dict[str, Any]:
    """Calculate lines of library compounds (by slug) or bare formulas (any hydrate spelling).

    `amount` is the label claim of the compound per serving; `overage_percent` raises the amount really put
    in, which the limits are checked against. Numbers are unrounded except in `label`, which holds the text a
    US Supplement Facts panel or an EU table prints.
    """
    try:
        return calculate(payload)
    except CalculationInputError as exc:
        raise ValidationError(
            [{"loc": ["body", *loc], "msg": message, "type": "value_error"} for loc, message in exc.errors]
        ) from exc
