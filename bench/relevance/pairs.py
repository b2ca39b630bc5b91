"""The labelled query set: a CSV file of (query, place, judged thématiques) pairs."""

import csv
from dataclasses import dataclass
from pathlib import Path

from catalogue.referentiels import REFERENTIELS
from territoires import services as territoires

COLUMNS = ("query", "code_commune", "thematiques", "note")
QUERIES = Path(__file__).with_name("queries.csv")


@dataclass(frozen=True)
class Pair:
    query: str
    code_commune: str
    thematiques: tuple[str, ...]  # the judgement: precise data·inclusion slugs


def read_pairs(path):
    """The pairs of a CSV file with the columns `COLUMNS` (`thematiques` `|`-separated; `note`
    is for the reader). ValueError, with the line's number, on a wrong header, an empty query,
    no judgement, an unknown slug or commune."""
    known = {slug for slug, _ in REFERENTIELS["thematiques"]}
    with open(path, newline="", encoding="utf-8") as file:
        reader = csv.DictReader(file)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise ValueError(
                f"{path} : colonnes attendues {','.join(COLUMNS)}, lues {reader.fieldnames}"
            )
        pairs = [_pair(path, line, row, known) for line, row in enumerate(reader, 2)]
    return pairs


def _pair(path, line, row, known):
    slugs = tuple(slug.strip() for slug in row["thematiques"].split("|") if slug.strip())
    unknown = [slug for slug in slugs if slug not in known]
    if not row["query"].strip() or not slugs or unknown:
        raise ValueError(
            f"{path}:{line} : mots et thématiques précises connues attendus ({unknown})"
        )
    if not territoires.commune_exists(row["code_commune"]):
        raise ValueError(f"{path}:{line} : commune inconnue « {row['code_commune']} »")
    return Pair(row["query"].strip(), row["code_commune"], slugs)
