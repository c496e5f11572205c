package dev.flinkpatterns.patterns.joins;

/**
 * Hand-checked inputs of both join datasets, in arrival order per side, what each row does noted beside it. Each
 * side's watermark moves after every row (delay + 1 ms behind the newest row of that side).
 */
final class JoinInputs {

    private JoinInputs() {}

    static final String[] CLICKS = {
        "click_time,click_id,user_id,page",
        "2024-01-15T10:00:00.000000,c1,u1,home",  // p1 and p2 (exactly +1h) match
        "2024-01-15T10:05:00.000000,c2,u2,shoes", // p3 at the same time matches; p4 (+1h+1s) does not
        "2024-01-15T10:10:00.000000,c3,u3,books", // no purchase; watermark 09:59:59.999
        "2024-01-15T09:59:00.000000,c4,u4,home",  // late: behind the clicks' watermark (p5 stays unmatched)
        "2024-01-15T10:01:00.000000,c5,u5,home",  // on time; its purchase p6 is late, so unmatched
        "2024-01-15T10:20:00.000000,c6,u1",       // malformed: a field missing
    };

    static final String[] PURCHASES = {
        "purchase_time,purchase_id,user_id,product_id,amount",
        "2024-01-15T10:05:00.000000,p3,u2,prod-c,5.0",     // watermark 09:54:59.999
        "2024-01-15T10:15:00.000000,p5,u4,prod-e,7.25",    // watermark 10:04:59.999
        "2024-01-15T10:30:00.000000,p1,u1,prod-a,10.0",    // watermark 10:19:59.999
        "2024-01-15T10:12:00.000000,p6,u5,prod-f,1.5",     // late: behind the purchases' watermark
        "2024-01-15T11:00:00.000000,p2,u1,prod-b,20.5",    // c1 + 1h: included
        "2024-01-15T11:05:01.000000,p4,u2,prod-d,99.99",   // c2 + 1h + 1s: excluded
        "2024-01-15T11:10:00.000000,p7,u1,prod-x,abc",     // malformed: amount
    };

    static final String[] ORDERS = {
        "order_time,order_id,user_id,product_id,quantity,amount",
        "2024-01-15T10:00:00,o1,u1,prod-a,1,10.0",  // s1 at the same time matches
        "2024-01-15T10:02:00,o2,u2,prod-b,2,40.0",  // s2 exactly +1h matches
        "2024-01-15T10:04:00,o3,u3,prod-c,1,5.5",   // s3 at +1h+1ms does not
        "2024-01-15T10:20:00,o4,u4,prod-d,3,12.0",  // s4 matches; watermark 10:09:59.999
        "2024-01-15T10:05:00,o5,u5,prod-e,1,8.0",   // late: behind the orders' watermark (s5 stays unmatched)
        "2024-01-15T10:11:00,o6,u6,prod-f,1,3.0",   // on time; its shipment s6 is late, so unmatched
        "2024-01-15T10:12:00,o7,u7,prod-g,two,3.0", // malformed: quantity
    };

    static final String[] SHIPMENTS = {
        "ship_time,shipment_id,shipment_order_id,carrier",
        "2024-01-15T10:00:00,s1,o1,ups",           // watermark (15 minutes) 09:44:59.999
        "2024-01-15T10:40:00,s5,o5,fedex",         // watermark 10:24:59.999
        "2024-01-15T10:30:00,s4,o4,ups",           // on time
        "2024-01-15T11:02:00,s2,o2,dhl",           // o2 + 1h: included; watermark 10:46:59.999
        "2024-01-15T10:45:00,s6,o6,dhl",           // late: behind the shipments' watermark
        "2024-01-15T11:04:00.001,s3,o3,ups",       // o3 + 1h + 1ms: excluded
        "2024-01-15T11:05:00,s8",                  // malformed: fields missing
    };
}
