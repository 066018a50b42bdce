-- Analytics read status events by kind and time (payments, refunds and cancellations within a
-- period) and a customer's first payment; without these every dashboard scans the whole history.
CREATE INDEX order_status_history_status_at ON order_status_history (status, at);
