"""The SVD basis of a TF-IDF matrix on every core this process may use.

scikit-learn's TruncatedSVD (randomized, Halko et al.) multiplies the sparse matrix by a block of
random vectors a dozen times, one core at a time; on 4,507 articles those products were 2.8 of its
7.5 s. `svd_components` is its algorithm step for step, with each product's columns shared out
between threads (scipy's sparse products let go of the GIL, and each column of a product is summed
in the same order whichever thread makes it): the same basis, bit for bit (tested).
"""

from __future__ import annotations

import numpy as np
from scipy import linalg, sparse

from analysis.topics.threads import sparse_product

OVERSAMPLES = 10  # TruncatedSVD's n_oversamples


def svd_components(
    matrix: sparse.csr_matrix, n_components: int, n_iter: int, seed: int
) -> np.ndarray:
    """TruncatedSVD(n_components, n_iter=n_iter, random_state=seed).fit(matrix).components_,
    with its sparse products made by sparse_product."""
    random_state = np.random.RandomState(seed)
    transpose = matrix.shape[0] < matrix.shape[1]
    m = matrix.T if transpose else matrix
    q = random_state.normal(size=(m.shape[1], n_components + OVERSAMPLES)).astype(matrix.dtype)
    for _ in range(n_iter):
        q = normalised(sparse_product(m, q), n_iter)
        q = normalised(sparse_product(m.T, q), n_iter)
    q, _ = linalg.qr(sparse_product(m, q), mode="economic", check_finite=False)
    b = sparse_product(m.T, q).T  # q.T @ m, as scipy makes it
    u_hat, _, vt = linalg.svd(b, full_matrices=False, lapack_driver="gesdd")
    components = (q @ u_hat)[:, :n_components].T if transpose else vt[:n_components]
    return flipped(components)


def normalised(block: np.ndarray, n_iter: int) -> np.ndarray:
    """A power iteration's block kept from overflowing: its LU factor's rows in place (more than
    two iterations), else as it is (TruncatedSVD's "auto" normaliser)."""
    if n_iter <= 2:
        return block
    return linalg.lu(block, permute_l=True, check_finite=False)[0]


def flipped(components: np.ndarray) -> np.ndarray:
    """Each component signed so that its largest coordinate is positive (svd_flip by the
    components, as TruncatedSVD does)."""
    largest = components[np.arange(len(components)), np.abs(components).argmax(axis=1)]
    return components * np.sign(largest)[:, None]
