-- The network servers (NetIDs) that may join a device over Backend Interfaces and so receive its session keys:
-- a product's list, comma-separated ('' = none), and a device's own list that replaces its product's (NULL = the
-- product's). A device that resolves to no NetID is served to no network server.
ALTER TABLE product ADD COLUMN net_ids TEXT NOT NULL DEFAULT '';
ALTER TABLE unit ADD COLUMN net_ids TEXT;
