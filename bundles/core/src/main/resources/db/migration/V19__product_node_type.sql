-- Issue 15, point 4: a product is flagged as a gateway product (node_type 'gateway'); only its devices may have
-- sub-devices, and they are never sub-devices themselves. Products whose devices already have sub-devices become
-- gateway products, so that every existing binding stays valid; the others are 'device'.
ALTER TABLE product ADD COLUMN node_type VARCHAR(16) DEFAULT 'device' NOT NULL;
UPDATE product SET node_type = 'gateway' WHERE id IN (SELECT d.product_id FROM sub_device s JOIN device d ON d.id = s.gateway_id)
