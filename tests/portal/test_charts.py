"""portal.charts: a server-drawn SVG bar chart whose figures are also a table, reusable by any page."""

from django.template.loader import render_to_string

from portal.charts import bar_chart


def chart(points, **kwargs):
    options = {
        "html_id": "sessions",
        "title": "sessions each quarter",
        "caption": "Each bar is one quarter.",
        "label_heading": "Quarter",
        "value_heading": "Sessions",
    }
    return bar_chart(points, **{**options, **kwargs})


def test_nothing_to_draw_gives_no_chart():
    assert chart([]) is None


def test_bars_are_scaled_to_the_tallest_and_sit_on_the_axis():
    drawn = chart([("Q1 2025", "Q1", 4), ("Q2 2025", "Q2", 0), ("Q3 2025", "Q3", 2)])
    tallest, empty, half = drawn.bars
    assert tallest.y == 10 and tallest.y + tallest.height == drawn.axis_y
    assert empty.height == 0 and half.height == tallest.height / 2
    assert [tick.value for tick in drawn.ticks] == [0, 2, 4]
    assert tallest.x < empty.x < half.x and half.x + half.width <= drawn.plot_right


def test_all_zero_still_draws_an_axis():
    drawn = chart([("Q1 2025", "Q1", 0)])
    assert drawn.bars[0].height == 0 and [tick.value for tick in drawn.ticks] == [0, 1]


def test_axis_labels_are_thinned_so_they_never_crowd():
    drawn = chart([(f"Month {n}", f"M{n}", n) for n in range(24)], max_labels=8)
    assert sum(bar.show_label for bar in drawn.bars) == 8


def test_the_include_names_the_svg_and_repeats_every_figure_in_a_table():
    html = render_to_string("includes/bar_chart.html", {"chart": chart([("Q1 2025", "Q1", 4), ("Q2 2025", "Q2", 1)])})
    assert 'role="img" aria-labelledby="sessions-title sessions-desc"' in html
    assert '<title id="sessions-title">Bar chart of sessions each quarter</title>' in html
    assert '<desc id="sessions-desc">' in html
    assert "<figcaption>Each bar is one quarter. The figures are in the table below.</figcaption>" in html
    assert '<caption class="visually-hidden">Sessions each quarter</caption>' in html
    assert '<th scope="row">Q1 2025</th><td class="portal-numeric">4</td>' in html
    assert '<th scope="row">Q2 2025</th><td class="portal-numeric">1</td>' in html
    assert "<title>Q2 2025: 1</title>" in html


def test_labels_are_escaped():
    html = render_to_string("includes/bar_chart.html", {"chart": chart([("<b>x</b>", "<i>", 1)], title="<script>")})
    assert "<b>" not in html and "<script>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
