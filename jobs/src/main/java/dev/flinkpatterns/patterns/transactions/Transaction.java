package dev.flinkpatterns.patterns.transactions;

/** A row of the transaction files (the guide's pattern 2 and the workshop's module 5): who bought what, where, for how much. */
public record Transaction(
        String eventTimeText, long eventTime, String transactionId, int userId, String category, String region, double amount) {}
