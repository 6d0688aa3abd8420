"""Churn data: upload a file, map its columns, fit retention curves per segment, calibrate the model."""

from __future__ import annotations

import streamlit as st

from ui import churn_calibration, churn_mapping, churn_results, churn_source, state
from ui.churn_calibration import refusal_keeps_calibration
from ui.shell import require_app

require_app()


def page() -> None:
    # Guard: what the model runs on now; without a file, the samples and a hint.
    st.title("Churn data")
    st.markdown("Upload your customers' churn history to fit retention curves per segment and "
                "run the dashboard on your own churn, revenue and customer mix.")
    churn_calibration.badge_and_reset()
    churn_source.sample_downloads()
    st.subheader("1. Your data")
    from_database = churn_source.choose_kind() == "database"
    with refusal_keeps_calibration():
        if from_database:
            source = churn_source.database()
        else:
            upload = churn_source.uploader()
            source = churn_source.parsed(upload) if upload is not None else None
    if source is None:
        st.info("Connect to the table above." if from_database else
                "Upload a file, or download a sample above and upload it.")
        st.stop()

    # Read the widgets: what the columns mean.
    churn_source.preview(source)
    mapping = churn_mapping.mapping_widgets(source.csv, source.digest)

    # Call the model through ui/: fit every curve per segment (kept for this file and mapping),
    # projected over the scenario's horizon.
    horizon_months = 12 * int(state.current_values()["horizon_years"])
    with refusal_keeps_calibration():
        dataset, fitted = churn_results.fitted(source, mapping, horizon_months)

    # Draw: observed against fitted, then the calibration.
    churn_results.observed_and_fitted(source.name, dataset, fitted, horizon_months)
    churn_calibration.calibrate(source.name, source.digest, fitted)


try:
    page()
except Exception as exc:  # the page boundary: a sentence, never a traceback
    st.error(f"Something went wrong while reading or fitting this file ({type(exc).__name__}). "
             f"Check that it is a CSV of customers or a cohort table, or try a sample file."
             + churn_calibration.kept())
