ALTER TABLE members ADD COLUMN bound_proof text;
ALTER TABLE members ADD COLUMN bound_proof_ref text;
