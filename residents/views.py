"""Views of residents; every view is wrapped in neighbourhoods.access.require."""
