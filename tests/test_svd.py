"""The SVD basis from CSR rows: scikit-learn's TruncatedSVD, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse
from sklearn.decomposition import TruncatedSVD
from sklearn.preprocessing import normalize

from analysis.topics.svd import svd_components


def tfidf_like(rows: int, columns: int, dtype=np.float32) -> sparse.csr_matrix:
    """A seeded sparse matrix of unit rows whose columns stand in no order, like fit_transform's."""
    rng = np.random.default_rng(11)
    cells = normalize(sparse.random(rows, columns, density=0.02, dtype=dtype, random_state=rng))
    cells = sparse.csr_matrix(cells)
    row_of = np.repeat(np.arange(rows), np.diff(cells.indptr))
    shuffled = np.lexsort((rng.random(cells.nnz), row_of))  # each row's cells in a random order
    matrix = sparse.csr_matrix((cells.data[shuffled], cells.indices[shuffled], cells.indptr))
    assert not matrix.has_sorted_indices
    return matrix


@pytest.mark.parametrize(
    ("rows", "columns", "n_components", "n_iter", "dtype"),
    [
        (300, 2_000, 40, 5, np.float32),  # fewer articles than words: the transposed side
        (600, 200, 40, 5, np.float32),  # more articles than words
        (300, 2_000, 40, 2, np.float32),  # two iterations: no normaliser
        (200, 1_000, 20, 5, np.float64),
    ],
)
def test_the_svd_basis_is_scikit_learns_bit_for_bit(rows, columns, n_components, n_iter, dtype):
    matrix = tfidf_like(rows, columns, dtype)
    theirs = TruncatedSVD(n_components=n_components, n_iter=n_iter, random_state=3)
    expected = theirs.fit(matrix.copy()).components_
    ours = svd_components(matrix, n_components, n_iter, seed=3)
    assert ours.dtype == expected.dtype
    np.testing.assert_array_equal(ours, expected)


def test_a_transpose_copied_into_rows_multiplies_to_the_same_bits():
    matrix = tfidf_like(400, 3_000)
    dense = np.random.default_rng(5).normal(size=(400, 130)).astype(np.float32)
    np.testing.assert_array_equal(matrix.T.tocsr() @ dense, matrix.T @ dense)
