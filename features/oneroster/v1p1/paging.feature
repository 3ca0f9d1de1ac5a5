Feature: OneRoster 1.1 paging, sorting, filtering and field selection
  As for 1.2, with the 1.1 answers to unknown and blank fields.

  Background:
    Given the OneRoster 1.1 provider under test

  @req:OR11-SP-PAGE-001 @must @spec:or11-rb#pagination
  Scenario: Collection pages carry X-Total-Count
    Then every collection page carries an X-Total-Count of at least its items

  @req:OR11-SP-PAGE-002 @must @spec:or11-rb#pagination
  Scenario: X-Total-Count is constant and exact
    Then X-Total-Count is constant across pages and equals the objects walked

  @req:OR11-SP-PAGE-003 @must @spec:or11-rb#pagination
  Scenario: Small pages return every user exactly once
    Then walking the users with small pages returns every user exactly once

  @req:OR11-SP-PAGE-004 @must @spec:or11-rb#pagination
  Scenario: The default page size is 100
    Then without a limit the users collection returns the default page of 100

  @req:OR11-SP-PAGE-005 @must @spec:or11-rb#pagination
  Scenario: An offset past the end returns an empty page
    Then an offset past the end returns an empty page

  @req:OR11-SP-PAGE-006 @should @spec:rfc8288#3
  Scenario: Link headers
    Then every Link header is well formed
    And every collection page carries next, first, last and prev links as needed

  @req:OR11-SP-SORT-001 @must @spec:or11-rb#sorting
  Scenario: Sorting ascending
    Then sorting the users by familyName asc orders them across pages

  @req:OR11-SP-SORT-002 @must @spec:or11-rb#sorting
  Scenario: Sorting descending
    Then sorting the users by familyName desc orders them across pages

  @req:OR11-SP-FILT-001 @must @spec:or11-rb#filtering
  Scenario: Filtering by status
    Then filtering the users by "status = active" returns exactly the matching users

  @req:OR11-SP-FILT-002 @must @spec:or11-rb#filtering
  Scenario: The =, != and ~ predicates
    Then filtering the users by "familyName =" returns exactly the matching users
    And filtering the users by "familyName !=" returns exactly the matching users
    And filtering the users by "familyName ~" returns exactly the matching users

  @req:OR11-SP-FILT-003 @must @spec:or11-rb#filtering
  Scenario: AND and OR
    Then filtering the users by "familyName >= AND givenName <" returns exactly the matching users
    And filtering the users by "familyName = OR familyName =" returns exactly the matching users

  @req:OR11-SP-FILT-004 @must @spec:or11-rb#filtering
  Scenario: An unknown filter field is refused
    Then the filter "plugfestNoSuchField='x'" is refused with 400 invalid_filter_field

  @req:OR11-SP-FILT-005 @must @spec:or11-rb#filtering
  Scenario: A quoted value with spaces matches
    Then filtering the classes by a title holding spaces returns exactly the matching classes

  @req:OR11-SP-FIELD-001 @must @spec:or11-rb#field-selection
  Scenario: Only the selected fields are returned
    Then selecting the fields sourcedId and givenName returns only those fields

  @req:OR11-SP-FIELD-002 @must @spec:or11-rb#field-selection
  Scenario: An unknown field gives all fields and a warning
    Then selecting a field that does not exist is answered as the version prescribes

  @req:OR11-SP-FIELD-003 @must @spec:or11-rb#field-selection
  Scenario: A blank field list is refused
    Then a blank fields parameter is refused with 400 invalid_blank_selection_field
