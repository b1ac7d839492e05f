"""Views of organisations; every view is wrapped in neighbourhoods.access.require."""
