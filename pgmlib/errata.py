r"""Corrections to the Week 1 notes, each checked numerically (shown on the book's Errata page).

``ERRATA`` lists, in the order of the notes, every place where the book departs from the notes
because the notes slip. Each entry names the test that shows, numerically, that the printed form
is wrong and the correct form right; ``tests/test_errata.py`` checks that every named test
exists.

Examples
--------
>>> from pgmlib import ERRATA
>>> entry = next(e for e in ERRATA if e.location == "eq. (1.40)")
>>> entry.label, entry.check.split("::")[0]
('eq-1-40', 'tests/test_errata.py')
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ERRATA", "Erratum"]


@dataclass(frozen=True)
class Erratum:
    r"""One correction to the notes.

    Attributes
    ----------
    location : str
        Where the slip is in the notes, with the notes' numbering: ``"eq. (1.40)"``,
        ``"Remark 1.11"``, ``"Figure 1.5"``, ``"Concluding remarks"``.
    printed : str
        What the notes print (Markdown with inline LaTeX math in ``$...$``).
    correct : str
        What the book uses instead (same format).
    check : str
        The pytest node id, ``"tests/<file>.py::<test>"``, of the test that shows numerically
        that ``printed`` is wrong and ``correct`` right.
    section : str
        The notes' section, ``"1.2"`` to ``"1.6"``.
    label : str or None
        The book's label for the place (``"eq-1-40"``, ``"rem-1-11"``), for ``{eq}`` or
        ``{prf:ref}`` links; ``None`` where the place carries no number.
    note : str
        One or two sentences on why, in plain words.
    """

    location: str
    printed: str
    correct: str
    check: str
    section: str
    label: str | None
    note: str


_T = "tests/test_errata.py::"

ERRATA: tuple[Erratum, ...] = (
    Erratum(
        location="Example 1.1",
        printed=r"$p(Y = y) = (\pi, 1 - \pi)$, read in the order $y = 0, 1$",
        correct=r"$\pi = \mathbb{P}(Y = 1)$ and $\mathbb{P}(Y = 0) = 1 - \pi$",
        check=_T + "test_example_1_1_eq_1_4_needs_pi_as_probability_of_class_one",
        section="1.2",
        label="eq-1-4",
        note=r"In eq. (1.4) $\pi$ multiplies $f_{\theta_1}$, so Bayes' rule gives (1.4) only "
        r"when $\pi$ is the probability of class 1.",
    ),
    Erratum(
        location="Definition 1.1",
        printed=r"a nonlinear map $T : \mathcal{X} \to \mathcal{X}$",
        correct=r"any measurable map $T : \mathcal{X} \to \mathcal{Y}$",
        check=_T + "test_definition_1_1_example_1_2_maps_into_another_set",
        section="1.3",
        label="def-1-1",
        note=r"Example 1.2 pushes $\{1, 2, 3\}$ onto $\{a, b\}$; neither nonlinearity nor "
        r"$\mathcal{Y} = \mathcal{X}$ is needed.",
    ),
    Erratum(
        location="Remark 1.3",
        printed=r"transform a source RV $X$ into a target RV $T$; "
        r"$A \in \mathcal{B}(\mathcal{X})$ in eq. (1.6)",
        correct=r"the target RV is $T(X)$; $A \in \mathcal{B}(\mathcal{Y})$ in eq. (1.6)",
        check=_T + "test_remark_1_3_eq_1_6_holds_for_the_random_variable_t_of_x",
        section="1.3",
        label="rem-1-3",
        note=r"$T$ is the map; the random variable it produces is $T(X)$, whose law is "
        r"$(T_\# P_X)(A) = P_X(T^{-1}(A))$ for sets $A$ of the target space.",
    ),
    Erratum(
        location="eq. (1.17)",
        printed=r"$l(\theta) = \sum_{n=1}^N \sum_{k=1}^K z_{nk} \log p_k(x_n)$",
        correct=r"$l(\theta) = \sum_{n=1}^N \sum_{k=1}^K z_{nk} \bigl(\log \pi_k "
        r"+ \log p_k(x_n)\bigr)$",
        check=_T + "test_eq_1_17_complete_data_log_likelihood_needs_log_pi",
        section="1.4",
        label="eq-1-17",
        note=r"The complete-data likelihood is $\prod_n \prod_k (\pi_k p_k(x_n))^{z_{nk}}$; "
        r"without the $\log \pi_k$ terms the mixture weights cannot be learned.",
    ),
    Erratum(
        location="Remark 1.7",
        printed=r"equality in Jensen's inequality (1.20) only when $\phi$ is affine or $X$ "
        r"is constant",
        correct=r"that holds for strictly convex $\phi$; in general equality holds when "
        r"$\phi$ is affine on a convex set that holds $X$ almost surely",
        check=_T + "test_remark_1_7_jensen_equality_needs_strict_convexity",
        section="1.5",
        label="rem-1-7",
        note=r"$\phi(x) = |x|$ with $X$ uniform on $\{1, 2\}$ gives equality; the conclusion "
        r"for the strictly concave $\log$ in (1.21) is right.",
    ),
    Erratum(
        location="eq. (1.22)",
        printed=r"$\log \mathbb{E}\left(\frac{1}{p}\right) = \log \sum \frac{1}{p} = \log K$",
        correct=r"$\log \mathbb{E}\left(\frac{1}{p}\right) = \log \sum_{x} p(x) "
        r"\frac{1}{p(x)} = \log |\mathrm{supp}\, p| \le \log K$",
        check=_T + "test_eq_1_22_expectation_of_one_over_p_counts_the_support",
        section="1.5",
        label="eq-1-22",
        note=r"The expectation weights $1/p(x)$ by $p(x)$; the plain sum $\sum_x 1/p(x)$ is "
        r"at least $K^2$.",
    ),
    Erratum(
        location="eq. (1.28)",
        printed=r"$= \log 1 = 0$",
        correct=r"$\le \log 1 = 0$, since $\sum_{x \in \mathrm{supp}\, p} q(x) \le 1$",
        check=_T + "test_eq_1_28_is_an_inequality_when_q_has_mass_off_the_support_of_p",
        section="1.5",
        label="eq-1-28",
        note=r"The sum of $q$ over the support of $p$ is below one when $q$ puts mass where "
        r"$p$ has none.",
    ),
    Erratum(
        location="Remark 1.8",
        printed=r"minimising the cross-entropy w.r.t. one of its arguments is an attempt to "
        r"match $p = q$",
        correct=r"only minimising $H(p, q)$ over its second argument $q$ matches $q = p$; over "
        r"its first argument the minimiser is a point mass on $\arg\max_x q(x)$",
        check=_T + "test_remark_1_8_cross_entropy_matches_p_only_over_its_second_argument",
        section="1.5",
        label="rem-1-8",
        note=r"$H(p, q) - H(p) = \mathrm{KL}(p \,\|\, q) \ge 0$ gives the minimum $q = p$; "
        r"but $H(p, q) = -\sum_x p(x) \log q(x)$ is linear in $p$, so over $p$ its minimum "
        r"$-\log \max_x q(x)$ sits at a vertex of the simplex.",
    ),
    Erratum(
        location="eq. (1.31)",
        printed=r"(an empty numbered display)",
        correct=r"$H(p, q) - H(p) = \int_{\mathcal{X}} p(x) \log \frac{p(x)}{q(x)} \, "
        r"\mathrm{d}x \ge 0$ (the book's content for the number)",
        check=_T + "test_eq_1_31_continuous_gap_is_the_kl_divergence",
        section="1.5",
        label="eq-1-31",
        note="The book fills the empty display with the continuous counterpart of "
        "(1.26)-(1.28), so that later equations keep the notes' numbers.",
    ),
    Erratum(
        location="Example 1.8",
        printed=r"zero (resp. negative) if $b - a = 1$ (resp. $b - a \le 1$)",
        correct=r"zero if $b - a = 1$, negative if $b - a < 1$",
        check=_T + "test_example_1_8_uniform_entropy_is_zero_at_width_one",
        section="1.5",
        label="ex-1-8",
        note=r"$\log(b - a) = 0$ at $b - a = 1$.",
    ),
    Erratum(
        location="Remark 1.11",
        printed=r"the KL divergence is always positive",
        correct=r"$\mathrm{KL}(p \,\|\, q) \ge 0$, with equality if and only if $p = q$",
        check=_T + "test_remark_1_11_kl_is_nonnegative_and_zero_at_p_equals_q",
        section="1.5",
        label="rem-1-11",
        note="Property (ii) of the same remark, KL = 0 iff p = q, contradicts 'always positive'.",
    ),
    Erratum(
        location="eq. (1.34)",
        printed=r"$L_1(p \,\|\, q_n) = \frac{|e^{-n} - 1|}{n} + \frac{n |c_n - 1|}{n - 1}$",
        correct=r"$L_1(p \,\|\, q_n) = \frac{1 - e^{-n}}{n} + \frac{(n - 1) |c_n - 1|}{n} "
        r"= \frac{2 (1 - e^{-n})}{n}$",
        check=_T + "test_eq_1_34_l1_factor_is_n_minus_one_over_n",
        section="1.6",
        label="eq-1-34",
        note=r"The interval $[1/n, 1]$ has length $(n - 1)/n$, not $n/(n - 1)$. The limit "
        r"$L_1 \to 0$ is unaffected.",
    ),
    Erratum(
        location="eq. (1.35)",
        printed=r"$\mathrm{KL}(p \,\|\, q_n) = 1 + \frac{-n}{n - 1} \log c_n$",
        correct=r"$\mathrm{KL}(p \,\|\, q_n) = 1 - \frac{n - 1}{n} \log c_n$",
        check=_T + "test_eq_1_35_kl_factor_is_n_minus_one_over_n",
        section="1.6",
        label="eq-1-35",
        note=r"Same length slip as (1.34). The limit $\mathrm{KL} \to 1$ is unaffected.",
    ),
    Erratum(
        location="eq. (1.36)",
        printed=r"$\chi^2(p_\epsilon \,\|\, q_\epsilon) = \frac{|\epsilon^2 - \epsilon|^2}"
        r"{1 - \epsilon^2} + |\epsilon - 1 + \epsilon^2|^2$",
        correct=r"$\chi^2(p_\epsilon \,\|\, q_\epsilon) = \frac{(\epsilon^2 - \epsilon)^2}"
        r"{1 - \epsilon^2} + (1 - \epsilon)^2 = \frac{\epsilon^2 (1 - \epsilon)}{1 + \epsilon} "
        r"+ (1 - \epsilon)^2$",
        check=_T + "test_eq_1_36_second_chi2_term_is_one_minus_eps_squared",
        section="1.6",
        label="eq-1-36",
        note=r"$(\epsilon - \epsilon^2)^2 / \epsilon^2 = (1 - \epsilon)^2$. The limit "
        r"$\chi^2 \to 1$ is unaffected.",
    ),
    Erratum(
        location="eq. (1.38)",
        printed=r"$\mathrm{KL}(\mathcal{N}(\mu_0, \sigma_0) \,\|\, \mathcal{N}(\mu_1, \sigma_1))$",
        correct=r"$\mathrm{KL}(\mathcal{N}(\mu_0, \sigma_0^2) \,\|\, "
        r"\mathcal{N}(\mu_1, \sigma_1^2))$, with $\sigma$ a standard deviation",
        check=_T + "test_eq_1_38_sigma_is_a_standard_deviation",
        section="1.6",
        label="eq-1-38",
        note=r"The formula is right with $\sigma$ a standard deviation; the rest of the notes "
        r"write $\mathcal{N}(\mu, \sigma^2)$, and so does the book.",
    ),
    Erratum(
        location="Figure 1.4",
        printed=r"direct and reverse KL as a function of the variance",
        correct=r"direct and reverse KL as functions of the standard deviation $v$ of "
        r"$q = \mathcal{N}(0, v^2)$, for $v \in [0.2, 3]$",
        check=_T + "test_figure_1_4_horizontal_axis_is_the_standard_deviation",
        section="1.6",
        label="fig-1-4",
        note=r"The plotted curves $\frac12(\pm\log v^2 + v^{\mp 2} - 1)$ are functions of $v$; "
        r"read against the variance $s = v^2$ they would be $\frac12(\pm\log s + s^{\mp 1} - 1)$, "
        r"which differ away from $s = 1$: at the axis value 2 the direct KL is $0.318$ for "
        r"$v = 2$ but $0.097$ for variance 2.",
    ),
    Erratum(
        location="eq. (1.40)",
        printed=r"$\nabla_{\sigma_1} \mathrm{KL} = \frac{\sigma_1^2 - \sigma_0^2}{\sigma_1^3}$",
        correct=r"$\nabla_{\sigma_1} \mathrm{KL} = \frac{\sigma_1^2 - \sigma_0^2 - "
        r"(\mu_1 - \mu_0)^2}{\sigma_1^3}$",
        check=_T + "test_eq_1_40_sigma_gradient_has_a_mean_term",
        section="1.6",
        label="eq-1-40",
        note=r"Differentiating $(\mu_0 - \mu_1)^2 / (2 \sigma_1^2)$ in $\sigma_1$ gives "
        r"$-(\mu_1 - \mu_0)^2 / \sigma_1^3$, which the notes drop.",
    ),
    Erratum(
        location="eq. (1.42)",
        printed=r"$\sigma_n \to \sigma_n - \eta_\sigma \frac{\sigma_n^2 - \sigma_0^2}"
        r"{\sigma_n^3}$",
        correct=r"$\sigma_n \to \sigma_n - \eta_\sigma \frac{\sigma_n^2 - \sigma_0^2 - "
        r"(\mu_n - \mu_0)^2}{\sigma_n^3}$",
        check=_T + "test_eq_1_42_sigma_update_is_a_gradient_step",
        section="1.6",
        label="eq-1-42",
        note="The update inherits the slip of (1.40); with it the iteration is not gradient "
        "descent on the KL.",
    ),
    Erratum(
        location="Figure 1.5",
        printed=r"the trajectory of the printed rules (1.41)-(1.42)",
        correct=r"the trajectory of gradient descent on (1.38), with the corrected (1.42)",
        check=_T + "test_figure_1_5_printed_rule_trajectory_differs_from_gradient_descent",
        section="1.6",
        label="fig-1-5",
        note=r"With the figure's settings ($\mathcal{N}(0, 1)$, start $(10, 20)$, "
        r"$\eta_\mu = 10$, $\eta_\sigma = 6.6$, 31 steps) the two trajectories differ visibly: "
        r"they end at $(\mu, \sigma) \approx (0.33, 2.59)$ with the printed rule and "
        r"$\approx (1.92, 7.94)$ with the correct one.",
    ),
    Erratum(
        location="Concluding remarks",
        printed=r"$X \sim i^2$",
        correct=r"$X \sim \chi^2$",
        check=_T + "test_concluding_remarks_chi_squared_is_the_example_1_3_pushforward",
        section="1.6",
        label=None,
        note=r"A conversion slip for the chi-squared distribution, e.g. the law of $Z^2$ for "
        r"$Z \sim \mathcal{N}(0, 1)$ (Example 1.3).",
    ),
)
