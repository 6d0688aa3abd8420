"""Tests of model/curves."""
