Feature: OneRoster 1.2 sorting, filtering and field selection
  Filtered answers are compared with Plugfest's own evaluation of the filter over the unfiltered
  collection; sorting is judged across page boundaries.

  Background:
    Given the OneRoster 1.2 provider under test

  @req:OR12-SP-SORT-001 @must @spec:or12-oas#getAllUsers
  Scenario: Sorting ascending orders the whole collection
    Then sorting the users by familyName asc orders them across pages

  @req:OR12-SP-SORT-002 @must @spec:or12-oas#getAllUsers
  Scenario: Sorting descending reverses the order
    Then sorting the users by familyName desc orders them across pages

  @req:OR12-SP-SORT-003 @should @spec:or12-res-oas#getAllResources
  Scenario: Sorting by an unknown field is not a server error
    Then sorting by a field that does not exist is answered 200 or 400

  @req:OR12-SP-FILT-001 @must @spec:or12-oas#getAllUsers
  Scenario: Filtering by status
    Then filtering the users by "status = active" returns exactly the matching users

  @req:OR12-SP-FILT-002 @must @spec:or12-rb#filtering
  Scenario: The = and != predicates
    Then filtering the users by "familyName =" returns exactly the matching users
    And filtering the users by "familyName !=" returns exactly the matching users

  @req:OR12-SP-FILT-003 @must @spec:or12-rb#filtering
  Scenario: The ordering predicates
    Then filtering the users by "familyName >" returns exactly the matching users
    And filtering the users by "familyName >=" returns exactly the matching users
    And filtering the users by "familyName <" returns exactly the matching users
    And filtering the users by "familyName <=" returns exactly the matching users

  @req:OR12-SP-FILT-004 @must @spec:or12-rb#filtering
  Scenario: The contains predicate
    Then filtering the users by "familyName ~" returns exactly the matching users

  @req:OR12-SP-FILT-005 @must @spec:or12-rb#filtering
  Scenario: AND returns the intersection
    Then filtering the users by "familyName >= AND givenName <" returns exactly the matching users

  @req:OR12-SP-FILT-006 @must @spec:or12-rb#filtering
  Scenario: OR returns the union
    Then filtering the users by "familyName = OR familyName =" returns exactly the matching users

  @req:OR12-SP-FILT-007 @must @spec:or12-rb#filtering
  Scenario: The delta-sync filter on dateLastModified
    Then filtering the users by "dateLastModified > with milliseconds" returns exactly the matching users
    And filtering the users by "dateLastModified > without milliseconds" returns exactly the matching users

  @req:OR12-SP-FILT-008 @must @spec:or12-oas#getAllUsers
  Scenario: An unknown filter field is refused
    Then the filter "plugfestNoSuchField='x'" is refused with 400 invalid_filter_field

  @req:OR12-SP-FILT-009 @must @spec:or12-rb#filtering
  Scenario: A quoted value with spaces matches
    Then filtering the classes by a title holding spaces returns exactly the matching classes

  @req:OR12-SP-FILT-010 @should @spec:or12-oas#getAllUsers
  Scenario: A malformed filter is refused
    Then the filter "familyName=jones" is refused with 400 invalid_filter_field

  @req:OR12-SP-FILT-011 @should @spec:or12-rb#filtering
  Scenario: An apostrophe in a filter value is not a server error
    Then a filter value holding an apostrophe is answered without a server error

  @req:OR12-SP-FILT-012 @must @spec:or12-rb#filtering
  Scenario: Filter, sort and paging combined
    Then filtering, sorting and paging the users together is consistent

  @req:OR12-SP-FIELD-001 @must @spec:or12-oas#getAllUsers
  Scenario: Only the selected fields are returned
    Then selecting the fields sourcedId and givenName returns only those fields

  @req:OR12-SP-FIELD-002 @must @spec:or12-oas#getAllUsers
  Scenario: An unknown field is refused
    Then selecting a field that does not exist is answered as the version prescribes

  @req:OR12-SP-FIELD-003 @must @spec:or12-oas#getUser
  Scenario: Fields are honoured on single objects
    Then selecting fields on a single user returns only those fields
