"""Topic quality against gold labels, and vanilla BERTopic as the point of comparison.

Gold labels come from the articles themselves: an input's category column (for example the
`kategori_berita` of a fact-check file), else the section in a Kompas URL host (regional., nasional.,
olahraga., ...). Scores: NMI and ARI over all labelled articles with the unassigned (-1) forming a
cluster of their own, NMI over the assigned ones, and the share left unassigned.
"""

from __future__ import annotations

from pathlib import PurePath

import numpy as np
import pandas as pd

URL_SECTION = r"//(?!www\.)(\w+)\.kompas\.com/"
URL_SECTION_SOURCE = "kompas URL section"
LABEL_FIELDS = ["article_id", "url", "category", "file"]
MIN_LABELLED = 20  # fewer labelled articles than this are not scored
MIN_LABELS = 2


def article_labels(articles: pd.DataFrame) -> pd.DataFrame:
    """article_id, label and label_source (file name or URL section) of each labelled article."""
    category = articles["category"].astype("string").str.strip().str.lower()
    has_category = category.fillna("").ne("")
    section = articles["url"].astype("string").str.extract(URL_SECTION)[0].str.lower()
    source = np.where(
        has_category,
        articles["file"].astype(str).map(lambda f: PurePath(f).name),
        URL_SECTION_SOURCE,
    )
    labelled = pd.DataFrame(
        {
            "article_id": articles["article_id"].to_numpy(),
            "label": category.where(has_category, section).to_numpy(),
            "label_source": source,
        }
    )
    return labelled[labelled["label"].notna()].reset_index(drop=True)


def partition_quality(labels: pd.Series, topics: pd.Series) -> dict[str, float | int]:
    """n, labels, topics, NMI and ARI (unassigned as one cluster), NMI of the assigned, unassigned share."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    gold = labels.astype(str).to_numpy()
    found = topics.astype("int64").to_numpy()
    assigned = found >= 0
    return {
        "n": len(gold),
        "n_labels": int(len(set(gold))),
        "n_topics": int(len(set(found[assigned]))),
        "nmi": round(float(normalized_mutual_info_score(gold, found)), 4),
        "ari": round(float(adjusted_rand_score(gold, found)), 4),
        "nmi_assigned": (
            round(float(normalized_mutual_info_score(gold[assigned], found[assigned])), 4)
            if assigned.sum() > 1
            else None
        ),
        "outlier_share": round(float(1 - assigned.mean()), 4),
    }


def quality_by_source(labelled: pd.DataFrame, topics: pd.Series) -> dict[str, dict]:
    """partition_quality per label source with enough articles and labels, and over all of them."""
    topic = labelled["article_id"].map(topics).fillna(-1)
    groups = {"all labelled": np.ones(len(labelled), dtype=bool)} | {
        source: (labelled["label_source"] == source).to_numpy()
        for source in sorted(labelled["label_source"].unique())
    }
    return {
        name: partition_quality(labelled["label"][rows], topic[rows])
        for name, rows in groups.items()
        if rows.sum() >= MIN_LABELLED and labelled["label"][rows].nunique() >= MIN_LABELS
    }


def vanilla_topics(docs: list[str], embeddings: np.ndarray, seed: int) -> np.ndarray:
    """Topics of BERTopic() with its defaults (UMAP, HDBSCAN, CountVectorizer) on embeddings."""
    # BERTopic's own default UMAP, with random_state set so that runs repeat
    from bertopic import BERTopic
    from umap import UMAP

    umap = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed)
    topics, _ = BERTopic(umap_model=umap).fit_transform(docs, embeddings)
    return np.asarray(topics, dtype=np.int64)
