"""The register's open data as a Sheet: one column list for the CSV and the JSON, documented on the open-data page.

The rows come from `selectors.open_data_rows` as plain dicts, so each column reads its own key; a key a row has
that is not a column (an id, say) never reaches a file.
"""

from pledges.selectors import OPEN_DATA_COLUMNS
from portal.spreadsheets import Column, Sheet

# Open data keeps machine-friendly headers: the header is the column's name, as documented on the open-data page.
REGISTER = Sheet([Column(name, header=name, help=description) for name, description in OPEN_DATA_COLUMNS])
