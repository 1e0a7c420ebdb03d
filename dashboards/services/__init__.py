"""Writes of the dashboards app: roll-ups, hotspot detection, exports."""
