# Attest's own records of the compliance program: the in-scope controls with their status,
# owner and evidence state.
package soc2.lib.program

controls := object.get(input, ["program", "controls"], [])

# A control in messages: its id and title.
control_label(c) := sprintf("%s (%s)", [c.id, c.title]) if is_string(c.title)

else := c.id

# The evidence state of a control, or "missing" when Attest recorded none.
evidence_state(c) := c.evidence.state if is_string(c.evidence.state)

else := "missing"

# " on YYYY-MM-DD", the first day the evidence no longer covers the control, when known.
expiry(c) := sprintf(" on %s", [c.evidence.expires]) if is_string(c.evidence.expires)

else := ""
