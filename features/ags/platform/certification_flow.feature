Feature: The certification guide's AGS flow across two courses with one-scope tokens
  The certification guide (§5.4) creates line items in one course with a token for the line item
  scope only, then, from a launch in a second course, posts scores with a score-only token and
  reads results with a result-only token, in both courses. Plugfest writes only with
  --allow-writes, in the sandbox course and in the course of the configured second-context
  launch, and deletes what it created.

  @req:AGS-PLAT-FLOW-001 @must @spec:lti-cert-1.3#5.4
  Scenario: Phase 1: a line-item-only token creates two line items and reads the first
    Given the platform's "student" launch
    And writes are allowed in the launch's course
    When Plugfest runs the first AGS phase of the certification guide
    Then every call of the phase succeeded

  @req:AGS-PLAT-FLOW-002 @must @spec:lti-cert-1.3#5.4
  Scenario: Phase 2: scores and results in two courses with one-scope tokens
    Given the platform's "student" launch
    And the platform's "second_context" launch
    And writes are allowed in the launch's course
    When Plugfest runs the second AGS phase of the certification guide
    Then every call of the phase succeeded
