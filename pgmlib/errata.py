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

__all__ = ["ERRATA", "LATEST_REVISION", "NOTES_VERSION", "Erratum", "format_date"]

#: The version of the notes the book follows number by number (its LaTeX is the authority on
#: what the notes print).
NOTES_VERSION = "2026-01-12"
#: The author's latest revision of Week 1.
LATEST_REVISION = "2026-02-06"
#: Every version of the notes, oldest first.
VERSIONS = (NOTES_VERSION, LATEST_REVISION)


def format_date(version: str) -> str:
    """A version date in words: ``"2026-02-06"`` -> ``"6 February 2026"``.

    Examples
    --------
    >>> format_date("2026-01-12")
    '12 January 2026'
    """
    from datetime import date

    day = date.fromisoformat(version)
    return f"{day.day} {day:%B %Y}"


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
        The notes' section, ``"1.2"`` to ``"1.7"`` (the concluding remarks are section 1.7 since
        the revision of 6 February 2026; the book follows it).
    label : str or None
        The book's label for the place (``"eq-1-40"``, ``"rem-1-11"``), for ``{eq}`` or
        ``{prf:ref}`` links; ``None`` where the place carries no number.
    note : str
        One or two sentences on why, in plain words.
    corrected_in : str or None
        The date (``"YYYY-MM-DD"``) of the first revision of the notes that corrects the slip;
        ``None`` while the latest revision (:data:`LATEST_REVISION`) still prints it.
    introduced_in : str
        The version of the notes that first prints the slip: :data:`NOTES_VERSION` (the
        version the book follows) or a later revision, for a slip the revision brings into
        text the book now follows.
    """

    location: str
    printed: str
    correct: str
    check: str
    section: str
    label: str | None
    note: str
    corrected_in: str | None = None
    introduced_in: str = "2026-01-12"

    def __post_init__(self) -> None:
        for name in ("corrected_in", "introduced_in"):
            value = getattr(self, name)
            if value is not None and value not in VERSIONS:
                raise ValueError(
                    f"`{name}` of {self.location!r} must be one of {VERSIONS}"
                    f"{' or None' if name == 'corrected_in' else ''}; got {value!r}"
                )
        if self.introduced_in is None:
            raise ValueError(f"`introduced_in` of {self.location!r} must be a version date")
        if self.corrected_in is not None and self.corrected_in <= self.introduced_in:
            raise ValueError(
                f"{self.location!r} cannot be corrected in {self.corrected_in}, before or when "
                f"it was introduced ({self.introduced_in})"
            )

    @property
    def status(self) -> str:
        """The entry's status in plain words, as the Errata page shows it."""
        if self.corrected_in is not None:
            return f"corrected in the revision of {format_date(self.corrected_in)}"
        if self.introduced_in != NOTES_VERSION:
            return (
                f"introduced by the revision of {format_date(self.introduced_in)} and still "
                f"printed in the latest revision"
            )
        return f"still printed in the latest revision ({format_date(LATEST_REVISION)})"


_T = "tests/test_errata.py::"

ERRATA: tuple[Erratum, ...] = (
    Erratum(
        location="Example 1.1",
        printed=r"the class probability $p(Y=y) = (\pi, 1-\pi), \pi \in [0, 1]$",
        correct=r"$\pi = \mathbb{P}(Y = 1)$ and $\mathbb{P}(Y = 0) = 1 - \pi$",
        check=_T + "test_example_1_1_eq_1_4_needs_pi_as_probability_of_class_one",
        section="1.2",
        label="eq-1-4",
        note=r"With $Y \in \{0, 1\}$ the pair lists $\mathbb{P}(Y = 0)$ first, but in eq. (1.4) "
        r"$\pi$ multiplies $f_{\theta_1}$: Bayes' rule gives (1.4) only when $\pi$ is the "
        r"probability of class 1.",
    ),
    Erratum(
        location="Definition 1.1",
        printed=r"a nonlinear map $T: \mathcal{X} \to \mathcal{X}$",
        correct=r"any measurable map $T : \mathcal{X} \to \mathcal{Y}$",
        check=_T + "test_definition_1_1_example_1_2_maps_into_another_set",
        section="1.3",
        label="def-1-1",
        note=r"Example 1.2 pushes $\{1, 2, 3\}$ onto $\{a, b\}$; neither nonlinearity nor "
        r"$\mathcal{Y} = \mathcal{X}$ is needed.",
    ),
    Erratum(
        location="Remark 1.3",
        printed=r"transform a source RV $X$ into a target RV $T$ with any measurable map; "
        r"$\forall A \in \mathcal{B}(\mathcal{X})$ in eq. (1.6); the pdf of $T$",
        correct=r"the target RV is $T(X)$; $A \in \mathcal{B}(\mathcal{Y})$ in eq. (1.6); the "
        r"pdf of $T(X)$",
        check=_T + "test_remark_1_3_eq_1_6_holds_for_the_random_variable_t_of_x",
        section="1.3",
        label="rem-1-3",
        note=r"$T$ is the map; the random variable it produces is $T(X)$, whose law is "
        r"$(T_\# P_X)(A) = P_X(T^{-1}(A))$ for sets $A$ of the target space.",
    ),
    Erratum(
        location="eq. (1.17)",
        printed=r"$l(\theta) = \log \prod_{n=1}^N\prod_{k=1}^K p_k^{z_{nk}}(x_n) = "
        r"\sum_{n=1}^N\sum_{k=1}^K z_{nk} \log p_k(x_n)$",
        correct=r"$l_c(\theta) = \log \prod_{n=1}^N \prod_{k=1}^K \bigl(\pi_k p_k(x_n)\bigr)"
        r"^{z_{nk}} = \sum_{n=1}^N \sum_{k=1}^K z_{nk} \bigl(\log \pi_k + \log p_k(x_n)\bigr)$",
        check=_T + "test_eq_1_17_complete_data_log_likelihood_needs_log_pi",
        section="1.4",
        label="eq-1-17",
        note=r"The complete-data likelihood is $\prod_n \prod_k (\pi_k p_k(x_n))^{z_{nk}}$; "
        r"without the $\log \pi_k$ terms the mixture weights cannot be learned. The revision "
        r"prints the corrected form and names it $l_c(\theta)$.",
        corrected_in="2026-02-06",
    ),
    Erratum(
        location="Example 1.6, the EM iteration",
        printed=r"computing $\gamma_{nk}$ using $\theta^\star = \arg\max \mathbb{E}_{z \mid x, "
        r"\theta}[l_c(\theta)]$",
        correct=r"$\theta^{\mathrm{new}} = \arg\max_\theta \mathbb{E}_{z \mid x, "
        r"\theta^{\mathrm{old}}}[l_c(\theta)]$: the expectation uses the current parameters, "
        r"held fixed while $l_c$ is maximised; then $\gamma_{nk}$ is recomputed at "
        r"$\theta^{\mathrm{new}}$",
        check=_T + "test_example_1_6_em_step_fixes_the_parameters_of_the_expectation",
        section="1.4",
        label="ex-1-6",
        note=r"Read with the same $\theta$ in both places, the objective is "
        r"$l(\theta) - \sum_n H(\gamma_n(\theta))$, whose maximiser is not the maximum-"
        r"likelihood estimate that EM converges to: it trades likelihood for harder "
        r"assignments.",
        introduced_in="2026-02-06",
    ),
    Erratum(
        location="Remark 1.7",
        printed=r"equality in eq. (1.20) is only achieved when either $\phi$ is affine, or $X$ "
        r"is constant almost surely",
        correct=r"that holds for strictly convex $\phi$; in general equality holds when "
        r"$\phi$ is affine on a convex set that holds $X$ almost surely",
        check=_T + "test_remark_1_7_jensen_equality_needs_strict_convexity",
        section="1.5",
        label="rem-1-7",
        note=r"$\phi(x) = |x|$ with $X$ uniform on $\{1, 2\}$ gives equality; the conclusion "
        r"for the strictly concave $\log$ in (1.21) is right.",
    ),
    Erratum(
        location="eq. (1.28)",
        printed=r"$\log \sum_x \cancel{p(x)} \frac{q(x)}{\cancel{p(x)}} = \log 1 = 0$",
        correct=r"$\le \log 1 = 0$, since $\sum_{x \in \mathrm{supp}\, p} q(x) \le 1$",
        check=_T + "test_eq_1_28_is_an_inequality_when_q_has_mass_off_the_support_of_p",
        section="1.5",
        label="eq-1-28",
        note=r"$p(x)$ cancels only where $p(x) > 0$; the sum of $q$ over the support of $p$ is "
        r"below one when $q$ puts mass where $p$ has none.",
    ),
    Erratum(
        location="Remark 1.8",
        printed=r"minimising the cross-entropy w.r.t. one of its arguments is precisely an "
        r"attempt to match $p = q$",
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
        printed=r"(an empty numbered display: the line after (1.29)-(1.30) carries the number "
        r"and nothing else)",
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
        printed=r"can be zero (resp. negative) if $b-a=1$ (resp. $b-a \le 1$)",
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
        note="Property (ii) stated right after the remark, KL = 0 iff p = q, contradicts "
        "'always positive'.",
    ),
    Erratum(
        location="eq. (1.34)",
        printed=r"$L_1(p \,\|\, q_n) = \frac{|e^{-n}-1|}{n} + \frac{n|c_n-1|}{n-1}$",
        correct=r"$L_1(p \,\|\, q_n) = \frac{1 - e^{-n}}{n} + \frac{(n - 1) |c_n - 1|}{n} "
        r"= \frac{2 (1 - e^{-n})}{n}$",
        check=_T + "test_eq_1_34_l1_factor_is_n_minus_one_over_n",
        section="1.6",
        label="eq-1-34",
        note=r"The interval $[1/n, 1]$ has length $(n - 1)/n$, not $n/(n - 1)$. The limit "
        r"$L_1 \to 0$ is unaffected.",
        corrected_in="2026-02-06",
    ),
    Erratum(
        location="eq. (1.35)",
        printed=r"$\mathrm{KL}(p \,\|\, q_n) = 1 + \frac{-n}{n-1}\log c_n$",
        correct=r"$\mathrm{KL}(p \,\|\, q_n) = 1 - \frac{n - 1}{n} \log c_n$",
        check=_T + "test_eq_1_35_kl_factor_is_n_minus_one_over_n",
        section="1.6",
        label="eq-1-35",
        note=r"Same length slip as (1.34). The limit $\mathrm{KL} \to 1$ is unaffected.",
        corrected_in="2026-02-06",
    ),
    Erratum(
        location="Remark 1.12",
        printed=r"$p_\epsilon$ converges to $q_\epsilon$ under KL but not under $\xi^2$",
        correct=r"$p_\epsilon$ converges to $q_\epsilon$ under KL but not under $\chi^2$",
        check=_T + "test_remark_1_12_the_divergence_that_stays_away_is_chi_squared",
        section="1.6",
        label="rem-1-12",
        note=r"$\xi^2$ is defined nowhere in the notes: the divergence of Example 1.10 that "
        r"does not tend to zero is the $\chi^2$ divergence defined before Example 1.9.",
    ),
    Erratum(
        location="eq. (1.38)",
        printed=r"$\mathrm{KL}(\mathcal{N}(\mu_0,\sigma_0) \,\|\, \mathcal{N}(\mu_1,\sigma_1))$",
        correct=r"$\mathrm{KL}(\mathcal{N}(\mu_0, \sigma_0^2) \,\|\, "
        r"\mathcal{N}(\mu_1, \sigma_1^2))$, with $\sigma$ a standard deviation",
        check=_T + "test_eq_1_38_sigma_is_a_standard_deviation",
        section="1.6",
        label="eq-1-38",
        note=r"The formula is right with $\sigma$ a standard deviation; the rest of the notes "
        r"write $\mathcal{N}(\mu, \sigma^2)$, and so does the book.",
        corrected_in="2026-02-06",
    ),
    Erratum(
        location="eq. (1.39)",
        printed=r"$\nabla_{\mu_1} \mathrm{KL}(\mathcal{N}(\mu_0,\sigma_0) \,\|\, "
        r"\mathcal{N}(\mu_1,\sigma_1))$, and the same arguments in (1.40)",
        correct=r"$\nabla_{\mu_1} \mathrm{KL}(\mathcal{N}(\mu_0, \sigma_0^2) \,\|\, "
        r"\mathcal{N}(\mu_1, \sigma_1^2))$, with $\sigma$ a standard deviation",
        check=_T + "test_eq_1_39_gradients_take_sigma_as_a_standard_deviation",
        section="1.6",
        label="eq-1-39",
        note=r"The gradients (1.39) and (1.40) differentiate (1.38) in $\mu_1$ and in the "
        r"standard deviation $\sigma_1$. The revision corrects the notation in (1.38) but not "
        r"in these two displays.",
    ),
    Erratum(
        location="Figure 1.4",
        printed=r"direct and reverse KL for zero mean Gaussians as a function of the variance",
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
        printed=r"$\nabla_{\sigma_1} \mathrm{KL} = \frac{1}{\sigma_1} - \frac{\sigma_0^2}"
        r"{\sigma_1^3} = \frac{\sigma_1^2-\sigma_0^2}{\sigma_1^3}$",
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
        printed=r"$\sigma_n \to \sigma_n - \eta_\sigma\frac{\sigma_n^2-\sigma_0^2}"
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
        printed=r"the trajectory of the recursions (1.41)-(1.42) as printed",
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
        printed=r"Gaussians, exponentials, Bernoulli, $Xi^2$, log-normal",
        correct=r"Gaussians, exponentials, Bernoulli, $\chi^2$, log-normal",
        check=_T + "test_concluding_remarks_chi_squared_is_the_example_1_3_pushforward",
        section="1.7",
        label=None,
        note=r"A typesetting slip for the chi-squared distribution, e.g. the law of $Z^2$ for "
        r"$Z \sim \mathcal{N}(0, 1)$ (Example 1.3).",
    ),
)
