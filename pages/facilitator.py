"""The facilitator's view of one workshop, reached only by its own link (``?facilitator=ID.SECRET``)
and only by a member of its workspace.

For a projector: the join link and its QR code, who has answered, the votes before and after, each
assumption's pooled view with the spread of opinion, and the decision analysis on the room's
ranges beside the table's. The live part refreshes itself every few seconds.
"""

from __future__ import annotations

import streamlit as st

from ui import facilitator_view, flash
from ui.format import escape_markdown
from ui.shell import require_app
from ui.workshop_links import facilitated_from_link

require_app()

# --- the workshop behind the link ----------------------------------------------------------------
lib, shop = facilitated_from_link()
st.title(escape_markdown(shop.title))
facilitator_view.header(lib, shop)

# --- the scenario, the live room, keeping its ranges ---------------------------------------------
values, structure = facilitator_view.scenario(lib, shop)  # and its fixes, which the room can estimate
facilitator_view.live(lib, shop, values, structure)
flash.show()
facilitator_view.keep_ranges(lib, shop)
