-- orders_guest_phone held (ship_phone, id) of guest consumer orders only: a subset of orders_ship_phone's entries,
-- which serves the guest lookup and the claim at signup as well (they read the phone's orders and keep the guest ones).
DROP INDEX IF EXISTS `orders_guest_phone`;
