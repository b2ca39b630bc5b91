"""`make bench-relevance`: its metrics on hand-computed cases, and its query set's file."""

import pytest

from bench.relevance import metrics
from bench.relevance.pairs import QUERIES, read_pairs

# Ranks 1…6; relevant: a, b, c and d (d never returned).
RETURNED = ["a", "x", "b", "y", "z", "c"]
RELEVANT = {"a", "b", "c", "d"}


def test_recall_is_the_share_of_relevant_services_returned():
    assert metrics.recall(RETURNED, RELEVANT) == 0.75  # a, b, c of 4
    assert metrics.recall([], RELEVANT) == 0
    assert metrics.recall(RETURNED, set()) is None


def test_precision_counts_the_first_five_or_fewer():
    assert metrics.precision_at(RETURNED, RELEVANT) == 0.4  # a, b among a x b y z
    assert metrics.precision_at(["x", "a"], {"a"}) == 0.5  # 2 returned: 1 of 2
    assert metrics.precision_at([], {"a"}) == 0  # nothing, although a exists


def test_ndcg_discounts_by_the_log_of_the_rank():
    # DCG = 1/log2(2) + 1/log2(4) + 1/log2(7) = 1 + 0.5 + 0.356207 = 1.856207;
    # ideal, 4 relevant first: 1 + 0.630930 + 0.5 + 0.430677 = 2.561606.
    assert metrics.ndcg_at(RETURNED, RELEVANT) == pytest.approx(0.724626, abs=1e-6)
    assert metrics.ndcg_at(["x", "a"], {"a"}) == pytest.approx(0.630930, abs=1e-6)  # 1/log2(3)
    assert metrics.ndcg_at(["a", "x"], {"a"}) == 1
    # Only the first 10 count: a relevant service at rank 11 gains nothing.
    assert metrics.ndcg_at([f"n{rank}" for rank in range(10)] + ["a"], {"a"}) == 0


def test_summary_means_over_pairs_with_relevant_services_only():
    lines = [
        metrics.pair_metrics(RETURNED, RELEVANT),
        metrics.pair_metrics(["x", "a"], {"a"}),
        metrics.pair_metrics([], {"a"}),
        metrics.pair_metrics(["x"], set()),  # counted, not measured
    ]
    assert metrics.summary(lines) == {
        "pairs": 4,
        "pairs_with_relevant": 3,
        "zero_result_rate": 0.3333,
        "recall": 0.5833,  # (0.75 + 1 + 0) / 3
        "precision_at_5": 0.3,  # (0.4 + 0.5 + 0) / 3
        "ndcg_at_10": 0.4518,  # (0.7246 + 0.6309 + 0) / 3, from the rounded lines
    }
    worst = metrics.worst(lines, count=2)
    assert [(line["returned"], line["recall"]) for line in worst] == [(0, 0), (6, 0.75)]


def test_targets_missed_are_named():
    figures = {"zero_result_rate": 0.05, "recall": 0.9, "precision_at_5": 0.95}
    assert metrics.missed_targets(figures) == []
    assert metrics.missed_targets(figures | {"recall": 0.89, "zero_result_rate": 0.051}) == [
        "zero_result_rate 0.051 (objectif ≤ 0.05)",
        "recall 0.89 (objectif ≥ 0.9)",
    ]


@pytest.mark.django_db
def test_the_query_set_is_judged_on_the_four_demo_places():
    pairs = read_pairs(QUERIES)
    assert len(pairs) >= 150
    assert {pair.code_commune for pair in pairs} == {"13201", "07186", "81004", "67482"}
    assert len({pair.query for pair in pairs}) >= 50


HEADER = "query,code_commune,thematiques,note\n"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("query,place\nCV,13201\n", "colonnes attendues"),
        (HEADER + "CV,13201,famille,\n", ":2 : mots"),  # a category, not a precise thématique
        (HEADER + ",13201,famille--garde-denfants,\n", ":2 : mots"),
        (HEADER + "CV,99999,famille--garde-denfants,\n", ":2 : commune"),
    ],
)
def test_a_query_set_is_checked_line_by_line(tmp_path, text, error):
    path = tmp_path / "queries.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=error):
        read_pairs(path)


@pytest.mark.django_db
def test_another_query_set_reads_the_same_columns(tmp_path):
    path = tmp_path / "queries.csv"
    path.write_text(HEADER + " creche ,13201,famille--garde-denfants | famille--soutien-aidants,\n")
    [pair] = read_pairs(path)
    assert pair.query == "creche"
    assert pair.thematiques == ("famille--garde-denfants", "famille--soutien-aidants")
