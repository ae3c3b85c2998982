"""Case-management actions: `casefile` (open, assign, transfer, intake, assessment, plan, notes, close) and
`services` (appointments, partner referrals, placements and follow-ups, employer services)."""
