from portal.markdown import render_markdown


def test_markdown_becomes_html():
    html = render_markdown("## Safety\n\nPeople feel **safe**.\n\n- one\n- two")
    assert "<h2>Safety</h2>" in html
    assert "<strong>safe</strong>" in html
    assert "<li>one</li>" in html


def test_scripts_and_event_handlers_are_removed():
    html = render_markdown('<script>alert(1)</script><img src=x onerror="alert(2)">[x](javascript:alert(3))')
    assert "<script" not in html
    assert "onerror" not in html
    assert "javascript:" not in html


def test_links_keep_safe_schemes_and_get_rel():
    html = render_markdown("[Breathing Space](https://breathingspace.scot)")
    assert 'href="https://breathingspace.scot"' in html
    assert 'rel="noopener noreferrer"' in html
