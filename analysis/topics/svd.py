"""The SVD basis of a TF-IDF matrix: scikit-learn's TruncatedSVD, bit for bit, in less time.

TruncatedSVD (randomized, Halko et al.) multiplies the matrix and its transpose by a block of a few
hundred vectors a dozen times. scipy multiplies the transpose of a CSR matrix (a CSC matrix) by
scattering each of its cells into a row of the product anywhere in memory; the same transpose
copied once into CSR rows gathers instead, and sums each row of the product in the same order,
so it gives the same bits: 0.11 s a product instead of 0.34 s on 4,507 articles (51,197 terms).
`svd_components` is TruncatedSVD's algorithm step for step with every product made from CSR rows,
less the projection of the whole matrix that TruncatedSVD.fit makes and throws away.
"""

from __future__ import annotations

import numpy as np
from scipy import linalg, sparse

OVERSAMPLES = 10  # TruncatedSVD's n_oversamples


def svd_components(
    matrix: sparse.csr_matrix, n_components: int, n_iter: int, seed: int
) -> np.ndarray:
    """TruncatedSVD(n_components, n_iter=n_iter, random_state=seed).fit(matrix).components_."""
    random_state = np.random.RandomState(seed)
    rows, columns = matrix.tocsr(), matrix.T.tocsr()
    transpose = matrix.shape[0] < matrix.shape[1]  # as TruncatedSVD: the narrower side
    a, a_t = (columns, rows) if transpose else (rows, columns)
    q = random_state.normal(size=(a.shape[1], n_components + OVERSAMPLES))
    if matrix.dtype == np.float32:
        q = q.astype(np.float32)
    for _ in range(n_iter):
        q = normalised(a @ q, n_iter)
        q = normalised(a_t @ q, n_iter)
    q, _ = linalg.qr(a @ q, mode="economic", check_finite=False)
    b = (a_t @ q).T  # q.T @ a, as scipy makes it
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
