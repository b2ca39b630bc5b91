"""Relevance metrics of one (query, place) pair and their means over a query set.

`returned` is the ordered list of service ids the search gave for the words (every page);
`relevant` is the set of ids judged relevant (the services of the judged thématiques at that
place). Gains are binary: a service is relevant or not.
"""

import math
import statistics

TOP_PRECISION = 5
TOP_NDCG = 10
# measure: (comparison, target); issue 15 asks for them on both backends.
TARGETS = {"zero_result_rate": ("≤", 0.05), "recall": ("≥", 0.90), "precision_at_5": ("≥", 0.90)}


def recall(returned, relevant):
    """Share of the relevant services that were returned (0–1); None without relevant ones."""
    if not relevant:
        return None
    return len(relevant.intersection(returned)) / len(relevant)


def precision_at(returned, relevant, k=TOP_PRECISION):
    """Share of relevant services among the first min(k, len(returned)) returned; 0 when
    nothing is returned although relevant services exist; None without relevant ones."""
    if not relevant:
        return None
    top = returned[:k]
    if not top:
        return 0.0
    return sum(pk in relevant for pk in top) / len(top)


def ndcg_at(returned, relevant, k=TOP_NDCG):
    """Normalised discounted cumulative gain of the first k results, binary gains:
    DCG = Σ rel(i) / log2(i + 1) for ranks i = 1…k, divided by the DCG of an ideal order
    (min(k, |relevant|) relevant services first). None without relevant ones."""
    if not relevant:
        return None
    gained = sum(
        1 / math.log2(rank + 1) for rank, pk in enumerate(returned[:k], 1) if pk in relevant
    )
    ideal = sum(1 / math.log2(rank + 1) for rank in range(1, min(k, len(relevant)) + 1))
    return gained / ideal


def pair_metrics(returned, relevant):
    """The line of one pair: counts, zero-result flag and the three measures (rounded)."""
    line = {"relevant": len(relevant), "returned": len(returned)}
    if not relevant:
        return line
    return line | {
        "zero_result": not returned,
        "recall": round(recall(returned, relevant), 4),
        "precision_at_5": round(precision_at(returned, relevant), 4),
        "ndcg_at_10": round(ndcg_at(returned, relevant), 4),
    }


def summary(lines):
    """Means over the pairs that have relevant services (the others are only counted)."""
    judged = [line for line in lines if line["relevant"]]
    if not judged:
        return {"pairs": len(lines), "pairs_with_relevant": 0}

    def mean(key):
        return round(statistics.fmean(line[key] for line in judged), 4)

    return {
        "pairs": len(lines),
        "pairs_with_relevant": len(judged),
        "zero_result_rate": mean("zero_result"),
        "recall": mean("recall"),
        "precision_at_5": mean("precision_at_5"),
        "ndcg_at_10": mean("ndcg_at_10"),
    }


def worst(lines, count=20):
    """The pairs with relevant services that fare worst: lowest recall, then precision@5,
    then nDCG@10; among equals, the more relevant services missed first."""
    judged = [line for line in lines if line["relevant"]]
    return sorted(
        judged,
        key=lambda line: (
            line["recall"],
            line["precision_at_5"],
            line["ndcg_at_10"],
            -line["relevant"],
        ),
    )[:count]


def missed_targets(figures):
    """The targets a backend's figures miss, as readable strings."""
    missed = []
    for measure, (comparison, target) in TARGETS.items():
        value = figures.get(measure)
        met = value is not None and (value <= target if comparison == "≤" else value >= target)
        if not met:
            missed.append(f"{measure} {value} (objectif {comparison} {target})")
    return missed
