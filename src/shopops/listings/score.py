"""A listing's score per platform, 0–100, explained by its components (docs/rules/listings.md#score).

Each problem belongs to one component (title, compliance, attributes, media, images); a component starts at 100
and loses a fixed number of points per problem by severity (never below 0); the score is the mean of the
components weighted by the platform's weights (``RuleSet.weights``). Pure: no Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from shopops.listings.problems import Problem, Severity

COMPONENT_OF: Mapping[str, str] = {
    "title_length": "title", "title_short": "title", "forbidden_character": "title", "emoji": "title",
    "repeated_word": "title", "backend_terms_length": "title",
    "ad_law": "compliance", "rival_brand": "compliance",
    "required_attribute": "attributes",
    "main_images": "media", "media_unknown": "media", "white_image": "media", "video": "media", "detail_sections": "media",
    "image_size": "images", "image_ratio": "images", "image_bytes": "images", "white_background": "images",
}
PENALTY: Mapping[Severity, int] = {Severity.ERROR: 40, Severity.WARNING: 15, Severity.INFO: 5}


def score(problems: Iterable[Problem], weights: Mapping[str, int],
          components: Iterable[str] | None = None) -> tuple[int, dict[str, dict[str, int]]]:
    """``(score, {component: {"score", "weight"}})`` over ``components`` (all the weights' by default)."""
    names = list(components) if components is not None else list(weights)
    points = dict.fromkeys(names, 100)
    for problem in problems:
        component = COMPONENT_OF.get(problem.rule)
        if component in points:
            points[component] -= PENALTY[problem.severity]
    for name, value in points.items():
        if value < 0:
            points[name] = 0
    explained = {name: {"score": points[name], "weight": weights.get(name, 0)} for name in names}
    total = sum(part["weight"] for part in explained.values())
    if not total:
        return 100, explained
    weighted = sum(part["score"] * part["weight"] for part in explained.values())
    return (2 * weighted + total) // (2 * total), explained  # rounded half up, in integers
