"""Education reports for the city (교육 실적): figures by year and quarter, JSON, XLSX and the staff dashboard."""
