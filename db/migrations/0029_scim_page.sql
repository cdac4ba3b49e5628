-- SCIM lists users in id order from an offset (startIndex, RFC 7644 §3.4.2.4). The primary key
-- alone can't tell a skipped user's status, so a deep page read every row before it (0.7 s at
-- startIndex 500,001 of 1M). This index holds only the users SCIM sees: the offset is counted in
-- the index (an index-only scan), and only the page's own rows are read.
CREATE INDEX "users_scim_id_idx" ON "users" USING btree ("id") WHERE status in ('pending', 'invited', 'active', 'inactive');
