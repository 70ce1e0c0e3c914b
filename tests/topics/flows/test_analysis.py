"""Data flows and transfers: the flow table, each status and its change within a period,
every finding on small hand-made frames, the register's Art. 30(1)(e) column, the sample's
planted faults, and (slow) the report drawn offline: Sankey and world map in the PDF."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from juro_privacy.paths import notebooks_dir, sample_dir
from juro_privacy.periods import parse_period
from juro_privacy.rules.transfers import FLOW_STATUSES
from juro_privacy.run.render import NETWORK_REFERENCE, notebook_to_html
from juro_privacy.topics.flows import analysis as fl
from juro_privacy.topics.flows import api as flows_api
from juro_privacy.topics.flows import geo
from juro_privacy.topics.flows import report as fr
from juro_privacy.topics.register.api import register_for
from juro_privacy.workbook.load import load_workbook

Q3 = parse_period("2026-Q3")
D = dt.date


# ---------------------------------------------------------------- builders


def site(site_id="london", country="GB", disclosed=True, name=None):
    return {
        "site_id": site_id,
        "name": name or f"{site_id.title()} office",
        "country": country,
        "disclosed": disclosed,
    }


def processor(processor_id="host", country="IE", **kw):
    row = {
        "processor_id": processor_id,
        "name": f"{processor_id.title()} Ltd",
        "country": country,
        "mechanism": pd.NA,
        "dpf_certified": False,
        "dpa_signed_on": D(2020, 1, 1),
        "data_categories": ("contact", "usage"),
        "encrypted_in_transit": True,
        "listed_in_policy": True,
        "engaged_on": pd.NaT,
        "dpf_certified_until": pd.NaT,
    }
    row.update(kw)
    return row


def activity(activity_id="A1", **kw):
    row = {
        "activity_id": activity_id,
        "name": f"Activity {activity_id}",
        "started_on": D(2020, 1, 1),
        "ended_on": pd.NaT,
        "offices": ("london",),
        "recipients": ("host",),
        "data_categories": ("contact",),
    }
    row.update(kw)
    return row


SITES = [site("london", "GB"), site("riga", "LV")]
CATEGORIES = pd.DataFrame(
    {"category_id": ["contact", "usage", "health"], "name": ["Contact", "Usage", "Health"]}
)


def flows_of(acts, procs, sites=SITES, period=Q3):
    return fl.build_flows(
        pd.DataFrame(acts), pd.DataFrame(sites), pd.DataFrame(procs), CATEGORIES, period
    )


def findings_of(acts, procs, sites=SITES, period=Q3):
    return fl.flow_findings(flows_of(acts, procs, sites, period), period)


def codes(findings):
    return sorted(zip(findings["code"], findings["subject"], strict=True))


def end_status(flows, office, processor_id):
    rows = flows[(flows["office"] == office) & (flows["processor_id"] == processor_id)]
    return rows["status_at_start"].iloc[0], rows["status_at_end"].iloc[0]


# ---------------------------------------------------------------- the flow table


def test_one_row_per_office_activity_processor_and_category():
    flows = flows_of(
        [
            activity(
                offices=("london", "riga"),
                recipients=("host", "eventco"),  # eventco: not a processor, not a flow
                data_categories=("contact", "usage"),
            )
        ],
        [processor()],
    )
    assert list(flows.columns) == fl.FLOW_COLUMNS
    assert list(zip(flows["office"], flows["data_category"], strict=True)) == [
        ("london", "contact"),
        ("london", "usage"),
        ("riga", "contact"),
        ("riga", "usage"),
    ]
    assert set(flows["processor_id"]) == {"host"}
    assert list(flows["category"]) == ["Contact", "Usage", "Contact", "Usage"]
    assert list(flows["regime"]) == ["UK", "UK", "EU", "EU"]


def test_flow_begins_on_the_later_of_activity_start_and_engagement():
    flows = flows_of(
        [activity(started_on=D(2021, 3, 1))],
        [processor(engaged_on=D(2026, 8, 10))],
    )
    assert flows["began_on"].iloc[0] == D(2026, 8, 10)
    assert flows["first_day"].iloc[0] == D(2026, 8, 10)
    assert flows["last_day"].iloc[0] == Q3.end
    earlier = flows_of([activity(started_on=D(2021, 3, 1))], [processor(engaged_on=D(2019, 1, 1))])
    assert earlier["began_on"].iloc[0] == D(2021, 3, 1)


def test_no_flow_before_engagement_or_after_the_activity_ended():
    later = flows_of([activity()], [processor(engaged_on=D(2026, 10, 1))])
    assert later.empty
    ended = flows_of([activity(ended_on=D(2026, 6, 30))], [processor()])
    assert ended.empty
    after_end = flows_of([activity(ended_on=D(2026, 8, 1))], [processor(engaged_on=D(2026, 8, 2))])
    assert after_end.empty


def test_a_flow_that_ends_in_the_period_is_judged_on_its_last_day():
    flows = flows_of([activity(ended_on=D(2026, 8, 1))], [processor()])
    assert flows["last_day"].iloc[0] == D(2026, 8, 1)


@pytest.mark.parametrize(
    ("office", "proc", "status"),
    [
        ("london", processor(country="GB"), "not_restricted"),
        ("riga", processor(country="IE"), "not_restricted"),
        ("london", processor(country="IE"), "adequate"),
        ("london", processor(country="US", dpf_certified=True, uk_extension=True), "adequate"),
        # on the EU-US DPF only: adequate from Riga, not from London (SI 2023/1028 reg. 3)
        ("london", processor(country="US", dpf_certified=True), "unsafeguarded"),
        ("riga", processor(country="US", dpf_certified=True), "adequate"),
        ("riga", processor(country="US", mechanism="sccs"), "safeguarded"),
        ("london", processor(country="US", mechanism="sccs"), "unsafeguarded"),
        ("london", processor(country="US", mechanism="uk_addendum"), "safeguarded"),
        # the ICO Addendum is attached to the EU SCCs: an EU office relies on those
        ("riga", processor(country="US", mechanism="uk_addendum"), "safeguarded"),
        ("riga", processor(country="US", mechanism="idta"), "unsafeguarded"),
        ("london", processor(country="IN"), "unsafeguarded"),
        ("london", processor(country="US", mechanism="sccs_2010"), "unsafeguarded"),
    ],
)
def test_each_status_from_each_office(office, proc, status):
    flows = flows_of([activity(offices=(office,))], [proc])
    assert end_status(flows, office, "host") == (status, status)
    assert flows["changed_on"].iloc[0] is None


def test_same_processor_differs_between_london_and_riga():
    flows = flows_of(
        [activity(offices=("london", "riga"))], [processor(country="US", mechanism="sccs")]
    )
    assert end_status(flows, "london", "host") == ("unsafeguarded", "unsafeguarded")
    assert end_status(flows, "riga", "host") == ("safeguarded", "safeguarded")


def test_dpf_lapse_inside_the_period_changes_the_status():
    proc = processor(
        country="US",
        mechanism="sccs",
        dpf_certified=True,
        uk_extension=True,
        dpf_certified_until=D(2026, 8, 14),
    )
    flows = flows_of([activity(offices=("london", "riga"))], [proc])
    assert end_status(flows, "london", "host") == ("adequate", "unsafeguarded")
    assert end_status(flows, "riga", "host") == ("adequate", "safeguarded")
    assert set(flows["changed_on"]) == {D(2026, 8, 15)}
    found = fl.flow_findings(flows, Q3)
    changed = found[found["code"] == "status_changed"].set_index("subject")
    assert changed.loc["Host Ltd from London office", "severity"] == "medium"
    assert changed.loc["Host Ltd from Riga office", "severity"] == "low"
    assert "changed on 2026-08-15" in changed.loc["Host Ltd from London office", "detail"]
    assert "DPF certification ended on 2026-08-14" in changed.iloc[0]["detail"]
    unsafe = found[found["code"] == "unsafeguarded_transfer"]
    assert list(unsafe["subject"]) == ["Host Ltd from London office"]
    assert "from 2026-08-15 to the end of the period" in unsafe["detail"].iloc[0]


def test_a_change_in_the_law_inside_the_period_changes_the_status():
    # the 2010 clauses stopped safeguarding UK exports after 20 March 2024 (mechanisms.csv)
    q1 = parse_period("2024-Q1")
    flows = flows_of(
        [activity(started_on=D(2022, 5, 1))],
        [processor(country="US", mechanism="sccs_2010")],
        period=q1,
    )
    assert end_status(flows, "london", "host") == ("safeguarded", "unsafeguarded")
    assert flows["changed_on"].iloc[0] == D(2024, 3, 21)
    found = fl.flow_findings(flows, q1)
    unsafe = found[found["code"] == "unsafeguarded_transfer"]
    assert "stopped being valid for UK exporters after 2024-03-20" in unsafe["detail"].iloc[0]
    # and Korea became adequate for UK exporters on 19 December 2022
    q4 = parse_period("2022-Q4")
    kr = flows_of([activity()], [processor(country="KR")], period=q4)
    assert end_status(kr, "london", "host") == ("unsafeguarded", "adequate")
    assert kr["changed_on"].iloc[0] == D(2022, 12, 19)
    found = fl.flow_findings(kr, q4).set_index("code")
    assert found.loc["status_changed", "severity"] == "low"
    assert (
        "from the start of the period until 2022-12-19"
        in found.loc["unsafeguarded_transfer", "detail"]
    )


def test_office_outside_the_uk_and_eea_is_not_judged():
    flows = flows_of(
        [activity(offices=("nyc",))], [processor(country="IN")], sites=[site("nyc", "US")]
    )
    assert flows["status_at_end"].iloc[0] is None
    assert flows["regime"].iloc[0] is None
    assert "unsafeguarded_transfer" not in set(fl.flow_findings(flows, Q3)["code"])


# ---------------------------------------------------------------- findings


def test_clean_flows_have_no_findings():
    found = findings_of(
        [activity(offices=("london", "riga"), data_categories=("contact", "usage"))],
        [processor(country="IE")],
    )
    assert found.empty
    assert list(found.columns) == ["topic", "code", "severity", "rule", "subject", "detail"]


def test_unsafeguarded_transfer_is_high_and_cites_the_exporters_law():
    found = findings_of(
        [activity(offices=("london", "riga"))], [processor(country="IN")]
    ).set_index("subject")
    london = found.loc["Host Ltd from London office"]
    riga = found.loc["Host Ltd from Riga office"]
    assert (london["code"], london["severity"], london["rule"]) == (
        "unsafeguarded_transfer",
        "high",
        "UK GDPR Art. 44 and 46",
    )
    assert riga["rule"] == "GDPR Art. 44 and 46"
    assert "no adequacy covers India (IN) and no Art. 46 safeguard" in riga["detail"]
    assert "throughout the period" in riga["detail"]


def test_no_dpa_and_a_dpa_dated_after_the_period():
    found = findings_of(
        [activity(recipients=("a", "b"))],
        [
            processor("a", dpa_signed_on=pd.NaT, data_categories=()),
            processor("b", dpa_signed_on=D(2026, 10, 5), data_categories=()),
        ],
    )
    # no contract: the categories are not checked against one
    assert codes(found) == [("no_dpa", "A Ltd (IE)"), ("no_dpa", "B Ltd (IE)")]
    assert set(found["rule"]) == {"Art. 28(3)"}
    assert "dated 2026-10-05, after the period" in found["detail"].iloc[1]


def test_old_sccs_stop_the_day_the_operations_change():
    # 2010 SCCs signed in 2020, exported from Riga to India: valid to 27 December 2022
    # while the operations stay unchanged; changed on 1 June 2022, unsafeguarded from then.
    old = processor("p", country="IN", mechanism="sccs_2010", dpa_signed_on=D(2020, 1, 1))
    changed = {**old, "operations_changed_on": D(2022, 6, 1)}
    assert fl.judge("LV", old, D(2022, 6, 1)) == "safeguarded"
    assert fl.judge("LV", changed, D(2022, 5, 31)) == "safeguarded"
    assert fl.judge("LV", changed, D(2022, 6, 1)) == "unsafeguarded"


def test_an_independent_controller_is_owed_no_art_28_contract():
    # HMRC-like: a controller in its own right, no DPA; beside it a processor with none.
    found = findings_of(
        [activity(recipients=("tax", "b"))],
        [
            processor(
                "tax",
                country="GB",
                relationship="independent_controller",
                dpa_signed_on=pd.NaT,
                data_categories=(),
            ),
            processor("b", relationship="processor", dpa_signed_on=pd.NaT, data_categories=()),
        ],
    )
    assert codes(found) == [("no_dpa", "B Ltd (IE)")]
    flows = flows_of([activity(recipients=("tax",))], [processor("tax", relationship=pd.NA)])
    assert set(flows["relationship"]) == {"processor"}  # empty: a processor


def test_dpa_signed_after_the_flow_began():
    found = findings_of(
        [activity(started_on=D(2023, 6, 1))],
        [processor(dpa_signed_on=D(2025, 2, 1))],
    )
    assert codes(found) == [("dpa_after_flow", "Host Ltd (IE)")]
    detail = found["detail"].iloc[0]
    assert "dated 2025-02-01 but data began to flow on 2023-06-01" in detail
    assert "611 days" in detail
    # a processor engaged on the day its DPA was signed is fine
    ok = findings_of(
        [activity(started_on=D(2023, 6, 1))],
        [processor(dpa_signed_on=D(2025, 2, 1), engaged_on=D(2025, 2, 1))],
    )
    assert ok.empty


def test_category_the_dpa_does_not_list():
    found = findings_of(
        [activity(offices=("london", "riga"), data_categories=("contact", "health"))],
        [processor(data_categories=("contact",))],
    )
    assert codes(found) == [("category_not_in_dpa", "Host Ltd: Health")]
    assert "from London office, Riga office" in found["detail"].iloc[0]
    assert found["severity"].iloc[0] == "medium"


def test_us_transfer_not_encrypted_in_transit():
    found = findings_of(
        [activity(recipients=("us", "ie"))],
        [
            processor(
                "us",
                country="US",
                dpf_certified=True,
                uk_extension=True,
                encrypted_in_transit=False,
            ),
            processor("ie", country="IE", encrypted_in_transit=False),  # the promise is for the US
        ],
    )
    assert codes(found) == [("us_unencrypted", "Us Ltd (US)")]
    assert found["severity"].iloc[0] == "high"
    assert "Any data transfers to the US are encrypted" in found["rule"].iloc[0]


def test_undisclosed_places_of_processing():
    found = findings_of(
        [activity(offices=("lisbon",), recipients=("host", "hidden"))],
        [processor("host"), processor("hidden", listed_in_policy=False)],
        sites=[site("lisbon", "PT", disclosed=False, name="Lisbon desk")],
    )
    assert codes(found) == [
        ("undisclosed_location", "Hidden Ltd (IE)"),
        ("undisclosed_location", "Lisbon desk (PT)"),
    ]
    rules = dict(zip(found["subject"], found["rule"], strict=True))
    assert rules["Hidden Ltd (IE)"].startswith("Art. 13(1)(e)")
    assert "London and Riga" in rules["Lisbon desk (PT)"]


def test_sccs_alone_from_a_uk_office():
    found = findings_of(
        [activity(offices=("london", "riga"))], [processor(country="US", mechanism="sccs")]
    )
    assert codes(found) == [
        # safeguarded from Riga, and no transfer impact assessment is on file
        ("no_transfer_assessment", "Host Ltd from Riga office"),
        ("sccs_only_from_uk", "Host Ltd from London office"),
        ("unsafeguarded_transfer", "Host Ltd from London office"),
    ]
    assert found.set_index("code").loc["sccs_only_from_uk", "rule"] == (
        "UK GDPR Art. 46(2)(c)-(d); DPA 2018 s. 119A"
    )
    # certified to the DPF (UK Extension): adequate, the SCCs do not matter
    dpf = findings_of(
        [activity()],
        [processor(country="US", mechanism="sccs", dpf_certified=True, uk_extension=True)],
    )
    assert dpf.empty


def test_metrics_count_findings_for_the_policy_claims():
    found = findings_of(
        [activity(offices=("london", "riga"))],
        [processor(country="US", mechanism="sccs", encrypted_in_transit=False)],
    )
    assert fl.metrics(found) == {
        "transfers.unsafeguarded_count": 1.0,
        "transfers.undisclosed_location_count": 0.0,
        "transfers.us_unencrypted_count": 1.0,
        "transfers.no_dpa_count": 0.0,
    }


# ---------------------------------------------------------------- register and views


def test_register_transfer_column_names_country_processor_and_basis():
    flows = flows_of(
        [
            activity("A1", offices=("london", "riga"), recipients=("mail", "host")),
            activity("A2", offices=("riga",), recipients=("host",)),
        ],
        [processor("mail", country="US", mechanism="sccs"), processor("host", country="IE")],
    )
    col = fl.transfers_by_activity(flows)
    assert col.to_dict() == {
        "A1": "IE: Host Ltd (adequate from london) | "
        "US: Mail Ltd (sccs; unsafeguarded from london; safeguarded from riga)",
    }  # A2 stays inside the EU: no transfer to record


def test_register_transfer_column_says_what_changed():
    proc = processor(
        "chat",
        country="US",
        mechanism="sccs",
        dpf_certified=True,
        uk_extension=True,
        dpf_certified_until=D(2026, 8, 14),
    )
    col = fl.transfers_by_activity(flows_of([activity(recipients=("chat",))], [proc]))
    assert col["A1"] == (
        "US: Chat Ltd (DPF to 2026-08-14; sccs; unsafeguarded (adequate until 2026-08-14) "
        "from london)"
    )


def test_filter_flows_by_id_or_name_in_any_case():
    flows = flows_of(
        [activity(offices=("london", "riga"), data_categories=("contact", "usage"))],
        [processor(country="US", mechanism="sccs")],
    )
    assert len(fr.filter_flows(flows)) == 4
    assert len(fr.filter_flows(flows, office="RIGA OFFICE")) == 2
    assert len(fr.filter_flows(flows, status="Unsafeguarded")) == 2
    assert len(fr.filter_flows(flows, status="unsafeguarded", category="usage")) == 1
    assert fr.filter_flows(flows, country="IN").empty


def test_report_views():
    flows = flows_of(
        [activity(offices=("london", "riga"))], [processor(country="US", mechanism="sccs")]
    )
    links = fr.sankey_links(flows)
    assert links[["source", "target", "status", "flows"]].values.tolist() == [
        ["London office", "Host Ltd", "unsafeguarded", 1],
        ["Riga office", "Host Ltd", "safeguarded", 1],
        ["Host Ltd", "United States (US)", "safeguarded", 1],
        ["Host Ltd", "United States (US)", "unsafeguarded", 1],
    ]
    dest = fr.destinations(flows)
    assert dest[["country", "status", "flows"]].values.tolist() == [["US", "unsafeguarded", 2]]
    assert fr.routes(flows)[["office_country", "country", "status"]].values.tolist() == [
        ["GB", "US", "unsafeguarded"],
        ["LV", "US", "safeguarded"],
    ]
    table = fr.flow_table(flows)
    assert list(table["status"]) == ["Unsafeguarded", "Safeguarded"]
    assert list(table["safeguard"]) == ["sccs", "sccs"]
    assert list(fr.status_legend()["status"]) == [fl.STATUS_LABELS[s] for s in FLOW_STATUSES]


def test_charts_are_built_from_the_views():
    from juro_privacy import charts

    flows = flows_of(
        [activity(offices=("london", "riga"))], [processor(country="US", mechanism="sccs")]
    )
    sankey = charts.flow_sankey(fr.sankey_links(flows))
    assert sankey.data[0].node.label == (
        "London office",
        "Riga office",
        "Host Ltd",
        "United States (US)",
    )
    world = charts.transfer_map(fr.destinations(flows), fr.routes(flows), fr.offices(flows))
    # the countries are shapes of the bundled outline: plotly.js is asked for none of its
    # own, so the page needs none handed over (tests/topics/flows/test_charts.py)
    assert {t.type for t in world.data} == {"scattergeo"}
    assert [t.name for t in world.data if t.fill == "toself"] == [
        "land",
        "United States (US)",
        "land",
    ]
    assert not geo.uses_map([world.to_plotly_json()])
    assert not geo.uses_map([sankey.to_plotly_json()])


# ---------------------------------------------------------------- geo and render


def test_country_codes_names_and_centroids():
    assert geo.map_id("US") == "USA" and geo.map_id("gb") == "GBR"
    assert geo.map_id("SG") is None  # too small for the 1:110m outline
    assert geo.country_label("KR") == "South Korea (KR)"
    lon, lat = geo.centroid("IN")
    assert 70 < lon < 90 and 15 < lat < 30


def test_report_page_carries_the_world_outline_only_for_a_figure_that_needs_it():
    def notebook(fig):
        nb = nbformat.v4.new_notebook()
        cell = nbformat.v4.new_code_cell("fig", id="fig")
        cell.outputs = [
            nbformat.v4.new_output(
                "display_data", data={"application/vnd.plotly.v1+json": fig.to_plotly_json()}
            )
        ]
        nb.cells.append(cell)
        return nb

    import plotly.graph_objects as go

    from juro_privacy import charts

    flows = flows_of([activity()], [processor(country="US", mechanism="sccs")])
    # a map placed by country codes draws from plotly.js's outline: the page carries it
    by_code = go.Figure(go.Choropleth(locations=["USA"], z=[1], locationmode="ISO-3"))
    with_outline = notebook_to_html(notebook(by_code), title="T")
    assert (
        with_outline.count('window.PlotlyGeoAssets.topojson["world_110m"] = {"type":"Topology"')
        == 1
    )
    assert NETWORK_REFERENCE.search(with_outline) is None
    # the transfer map draws its own shapes, the Sankey none: no outline on their pages
    for fig in (
        charts.transfer_map(fr.destinations(flows), fr.routes(flows), fr.offices(flows)),
        charts.flow_sankey(fr.sankey_links(flows)),
    ):
        page = notebook_to_html(notebook(fig), title="T")
        assert 'PlotlyGeoAssets.topojson["world_110m"]' not in page
        assert NETWORK_REFERENCE.search(page) is None


def test_bundled_outline_is_the_plotly_topojson_layout():
    topo = json.loads(geo.topojson_text())
    assert topo["type"] == "Topology"
    assert {"countries", "land", "coastlines", "ocean", "lakes"} <= set(topo["objects"])
    assert "<" not in geo.topojson_text()


# ---------------------------------------------------------------- the sample and the notebook


@pytest.fixture(scope="module")
def sample():
    wb = load_workbook(sample_dir())
    flows = flows_api.flows_for(wb, Q3)
    return wb, flows, fl.flow_findings(flows, Q3)


def test_sample_hits_every_status_and_every_finding_in_2026_q3(sample):
    _, flows, found = sample
    assert set(flows["status_at_end"]) == set(FLOW_STATUSES)
    assert set(found["code"]) == {
        "no_transfer_assessment",
        "stale_transfer_assessment",
        "derogation_for_regular_transfer",
        "unsafeguarded_transfer",
        "no_dpa",
        "dpa_after_flow",
        "category_not_in_dpa",
        "us_unencrypted",
        "undisclosed_location",
        "sccs_only_from_uk",
        "status_changed",
    }
    by = {(c, s) for c, s in zip(found["code"], found["subject"], strict=True)}
    assert {
        ("unsafeguarded_transfer", "MailPulse Inc. from London office"),
        ("unsafeguarded_transfer", "InsightML Pvt Ltd from Riga office"),
        ("unsafeguarded_transfer", "OldCRM Inc. from London office"),
        ("unsafeguarded_transfer", "ChatDesk Inc. from London office"),
        # on the EU-US DPF only, no UK Extension (SI 2023/1028 reg. 3)
        ("unsafeguarded_transfer", "StatsBox Inc. from London office"),
        ("no_dpa", "InsightML Pvt Ltd (IN)"),
        ("dpa_after_flow", "HeatTrack Ltd (IL)"),
        ("category_not_in_dpa", "MailPulse Inc.: Usage"),
        ("us_unencrypted", "StatsBox Inc. (US)"),
        ("undisclosed_location", "Lisbon support contractor desk (PT)"),
        ("undisclosed_location", "InsightML Pvt Ltd (IN)"),
        ("sccs_only_from_uk", "MailPulse Inc. from London office"),
        ("status_changed", "ChatDesk Inc. from London office"),
        ("status_changed", "ChatDesk Inc. from Lisbon support contractor desk"),
        # the EU SCCs take over from Lisbon when the DPF lapses: nobody assessed them
        ("no_transfer_assessment", "ChatDesk Inc. from Lisbon support contractor desk"),
        # assessed on 2025-03-10: older than the 12-month review policy
        ("stale_transfer_assessment", "MailPulse Inc. from Riga office"),
        # A11 demo requests to OldCRM on explicit consent: an ongoing, regular transfer
        ("derogation_for_regular_transfer", "OldCRM Inc. from London office"),
    } <= by
    assert end_status(flows, "london", "mailpulse") == ("unsafeguarded", "unsafeguarded")
    assert end_status(flows, "riga", "mailpulse") == ("safeguarded", "safeguarded")
    assert end_status(flows, "riga", "cloudhost")[1] == "not_restricted"
    assert end_status(flows, "london", "chatdesk") == ("adequate", "unsafeguarded")
    assert end_status(flows, "london", "statsbox") == ("unsafeguarded", "unsafeguarded")
    assert end_status(flows, "riga", "statsbox") == ("adequate", "adequate")
    why = found[
        (found["code"] == "unsafeguarded_transfer")
        & (found["subject"] == "StatsBox Inc. from London office")
    ]["detail"].iloc[0]
    assert "not to the UK Extension" in why
    assert not (found["subject"] == "StatsBox Inc. from Riga office").any()


def test_sample_register_carries_the_transfers(sample):
    wb, _, _ = sample
    register = register_for(wb, Q3).set_index("activity_id")
    assert register.loc["A08", "third_country_transfers"] == (
        "US: MailPulse Inc. (sccs; unsafeguarded from london; safeguarded from riga)"
    )
    assert register.loc["A02", "third_country_transfers"] == ""  # PayRail: London to GB


def test_notebook_is_committed_thin_and_without_outputs():
    nb = nbformat.read(notebooks_dir() / "flows.ipynb", as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.metadata["title"] == "Data flows and international transfers"
    assert [c.id for c in nb.cells] == [f"flows-{i:02d}" for i in range(len(nb.cells))]
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[0].metadata["tags"] == ["parameters"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)


# ---------------------------------------------------------------- offline rendering (slow)


def _ppm_pixels(path: Path) -> tuple[int, int, bytes]:
    """Width, height and RGB bytes of a binary PPM, as ``pdftoppm`` writes it."""
    data = path.read_bytes()
    tokens = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    assert tokens is not None
    width, height = int(tokens.group(1)), int(tokens.group(2))
    return width, height, data[tokens.end() :]


def _count_colour(pixels: bytes, rgb: tuple[int, int, int], tolerance: int = 6) -> int:
    r0, g0, b0 = rgb
    return sum(
        1
        for i in range(0, len(pixels) - 2, 3)
        if abs(pixels[i] - r0) <= tolerance
        and abs(pixels[i + 1] - g0) <= tolerance
        and abs(pixels[i + 2] - b0) <= tolerance
    )


def _page_with(pdf: Path, text: str) -> int:
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    count = int(re.search(r"Pages:\s+(\d+)", pages.stdout).group(1))
    for page in range(1, count + 1):
        out = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        if text in out:
            return page
    raise AssertionError(f"{text!r} is on no page of {pdf.name}")


def _map_fill_pixels(pdf: Path, tmp_path: Path) -> int:
    """Pixels of the unsafeguarded fill (the US, India) on the map's page."""
    page = _page_with(pdf, "Where the data is processed")
    stem = tmp_path / f"{pdf.stem}-map"
    subprocess.run(
        ["pdftoppm", "-r", "40", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), stem],
        check=True,
    )
    _, _, pixels = _ppm_pixels(stem.with_suffix(".ppm"))
    return _count_colour(pixels, (0xC0, 0x39, 0x2B))


@pytest.mark.slow
def test_flows_report_draws_sankey_and_map_offline(tmp_path):
    import papermill as pm

    from juro_privacy.run.render import find_chromium, html_to_pdf

    chromium = find_chromium()
    assert chromium, "Chromium is needed to print the report (apt-get install chromium)"
    executed = tmp_path / "flows.ipynb"
    pm.execute_notebook(
        str(notebooks_dir() / "flows.ipynb"),
        str(executed),
        parameters={"period": "2026-Q3"},
        cwd=str(notebooks_dir()),
        progress_bar=False,
    )
    nb = nbformat.read(executed, as_version=4)
    html = notebook_to_html(nb, title="Data flows and international transfers")
    assert NETWORK_REFERENCE.search(html) is None
    # the map draws its own shapes: the page hands plotly.js no outline
    assert 'PlotlyGeoAssets.topojson["world_110m"]' not in html
    page = tmp_path / "flows.html"
    page.write_text(html, encoding="utf-8")
    pdf = tmp_path / "flows.pdf"
    html_to_pdf(page, pdf, chromium=chromium)  # every request but file:// goes nowhere
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in [
        "Where personal data goes: office → processor → country",  # the Sankey's title
        "MailPulse Inc.",  # a Sankey node
        "Lisbon support contractor desk",
        "Where the data is processed: destinations by transfer status",  # the map's title
        "United States (US)",  # a label on the world panel
        "India (IN)",
        "Europe: where our offices are",
        "Unsafeguarded",  # the legend
        "Art. 28(3)",  # a rule in the findings table
    ]:
        assert expected in text, expected
    # the map really drew: the US and India are filled in the unsafeguarded red ...
    drawn = _map_fill_pixels(pdf, tmp_path)
    assert drawn > 200, drawn
    # ... from the figure's own shapes: without its two red ones the red is (nearly) gone
    from juro_privacy.topics.flows.charts import STATUS_COLOURS

    red = STATUS_COLOURS["unsafeguarded"]
    bare_nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    removed = 0
    for cell in bare_nb.cells:
        for out in cell.get("outputs", []):
            fig = out.get("data", {}).get("application/vnd.plotly.v1+json")
            if fig:
                kept = [t for t in fig["data"] if t.get("fillcolor") != red]
                removed += len(fig["data"]) - len(kept)
                fig["data"] = kept
    assert removed == 2  # the US and India, on the world panel
    bare = tmp_path / "bare.html"
    bare.write_text(notebook_to_html(bare_nb, title="Bare"), encoding="utf-8")
    bare_pdf = tmp_path / "bare.pdf"
    html_to_pdf(bare, bare_pdf, chromium=chromium)
    assert _map_fill_pixels(bare_pdf, tmp_path) < drawn / 20


# ---------------------------------------------------------------- transfer assessments


def _riga_sccs(**kw):
    """A US processor on the EU SCCs, sent to from Riga only: safeguarded all Q3."""
    return [activity(offices=("riga",))], [processor(country="US", mechanism="sccs", **kw)]


def _only(found, code):
    return found[found["code"] == code]


def test_a_safeguarded_transfer_without_an_assessment_is_a_finding():
    found = findings_of(*_riga_sccs())
    row = _only(found, "no_transfer_assessment").iloc[0]
    assert (row["severity"], row["subject"]) == ("high", "Host Ltd from Riga office")
    assert row["rule"] == "GDPR Art. 46(1); Schrems II (C-311/18); EDPB Recommendations 01/2020"
    assert "no transfer assessment is on file" in row["detail"]


def test_london_cites_the_data_protection_test_since_5_february_2026():
    acts = [activity(offices=("london",))]
    procs = [processor(country="US", mechanism="idta", dpa_signed_on=D(2023, 1, 1))]
    row = _only(findings_of(acts, procs), "no_transfer_assessment").iloc[0]
    assert row["rule"] == "UK GDPR Art. 46(1A)(a)(ii) (DUAA 2025 Sch. 7 para. 6)"
    assert "data protection test is met" in row["detail"]
    # before the DUAA's transfer provisions: the ICO's TRA under Schrems II
    q4_2025 = parse_period("2025-Q4")
    before = fl.flow_findings(flows_of(acts, procs, period=q4_2025), q4_2025)
    assert _only(before, "no_transfer_assessment")["rule"].iloc[0] == (
        "UK GDPR Art. 46(1); Schrems II (C-311/18); ICO TRA guidance"
    )


@pytest.mark.parametrize(
    "made,codes_expected",
    [
        (D(2026, 6, 30), set()),  # before the period, within 12 months
        (D(2025, 9, 30), set()),  # due on 2026-09-30, the last day: not yet stale
        (D(2025, 9, 29), {"stale_transfer_assessment"}),  # due 2026-09-29
        (D(2026, 8, 1), {"no_transfer_assessment"}),  # made during the period: late
        (D(2026, 10, 1), {"no_transfer_assessment"}),  # after the period: none on file
    ],
)
def test_assessment_dates(made, codes_expected):
    found = findings_of(
        *_riga_sccs(transfer_assessment_on=made, transfer_assessment_outcome="meets_test")
    )
    got = set(found["code"]) & {"no_transfer_assessment", "stale_transfer_assessment"}
    assert got == codes_expected


def test_a_stale_assessment_is_house_policy_and_follows_the_setting():
    procs = _riga_sccs(
        transfer_assessment_on=D(2025, 3, 10), transfer_assessment_outcome="meets_test"
    )
    row = _only(findings_of(*procs), "stale_transfer_assessment").iloc[0]
    assert row["severity"] == "low"
    assert row["rule"].startswith("House policy")
    assert "not a legal deadline" in row["rule"]
    assert "2026-03-10" in row["detail"]
    longer = fl.flow_findings(flows_of(*procs), Q3, review_months=24)
    assert _only(longer, "stale_transfer_assessment").empty


def test_an_assessment_that_does_not_meet_the_test_unsafeguards_the_transfer():
    acts, procs = _riga_sccs(
        transfer_assessment_on=D(2026, 8, 1), transfer_assessment_outcome="does_not_meet"
    )
    flows = flows_of(acts, procs)
    assert end_status(flows, "riga", "host") == ("safeguarded", "unsafeguarded")
    assert flows["changed_on"].iloc[0] == D(2026, 8, 1)
    found = fl.flow_findings(flows, Q3)
    why = _only(found, "unsafeguarded_transfer")["detail"].iloc[0]
    assert "transfer assessment of 2026-08-01" in why and "do not make the transfer lawful" in why


def test_an_assessment_does_not_matter_to_an_adequate_transfer():
    found = findings_of(
        [activity(offices=("riga",))],
        [processor(country="CH", transfer_assessment_on=pd.NaT)],
    )
    assert _only(found, "no_transfer_assessment").empty


# ---------------------------------------------------------------- Art. 49 derogations


def _london_to_india(**kw):
    return [activity(offices=("london",), **kw)], [processor(country="IN")]


def test_a_derogation_gives_its_own_status_and_a_finding_when_regular():
    acts, procs = _london_to_india(transfer_derogation="explicit_consent")
    flows = flows_of(acts, procs)
    assert end_status(flows, "london", "host") == ("derogation", "derogation")
    found = fl.flow_findings(flows, Q3)
    assert _only(found, "unsafeguarded_transfer").empty
    row = _only(found, "derogation_for_regular_transfer").iloc[0]
    assert row["severity"] == "medium"
    assert row["rule"] == "UK GDPR Art. 49(1)(a); EDPB Guidelines 2/2018"


def test_contract_necessity_is_expressly_for_occasional_transfers():
    found = findings_of(*_london_to_india(transfer_derogation="contract_necessity"))
    row = _only(found, "derogation_for_regular_transfer").iloc[0]
    assert row["severity"] == "high"
    assert "Recital 111" in row["detail"]


def test_a_derogation_of_an_activity_that_ended_in_the_period_is_not_called_regular():
    acts, procs = _london_to_india(transfer_derogation="legal_claims", ended_on=D(2026, 8, 31))
    found = findings_of(acts, procs)
    assert _only(found, "derogation_for_regular_transfer").empty
    assert _only(found, "unsafeguarded_transfer").empty


def test_a_derogation_is_not_used_where_adequacy_or_a_safeguard_holds():
    acts = [activity(offices=("riga",), transfer_derogation="explicit_consent")]
    flows = flows_of(acts, [processor(country="CH")])
    assert end_status(flows, "riga", "host") == ("adequate", "adequate")


def test_one_processor_two_activities_one_derogation():
    acts = [
        activity("A1", offices=("london",)),
        activity("A2", offices=("london",), transfer_derogation="explicit_consent"),
    ]
    found = findings_of(acts, [processor(country="IN")])
    assert codes(found) == [
        ("derogation_for_regular_transfer", "Host Ltd from London office"),
        ("unsafeguarded_transfer", "Host Ltd from London office"),
    ]
    assert "A1 Activity A1" in _only(found, "unsafeguarded_transfer")["detail"].iloc[0]
    assert "A2" not in _only(found, "unsafeguarded_transfer")["detail"].iloc[0]
    flows = flows_of(acts, [processor(country="IN")])
    assert "derogation" in fr.summary_markdown(flows, found)
    assert "1 derogation" in fr.summary_markdown(flows, found)
